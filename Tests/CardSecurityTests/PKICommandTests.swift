import ISO7816
@testable import CardSecurity
import Foundation
import Testing
import TestPrograms

/// `permit pki init` and `permit pki verify`, run as the built program an officer runs.
@Suite("permit pki")
struct PKICommandTests {
    /// Runs the `permit` executable built next to the test bundle: its status and everything it wrote.
    static func permit(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let run = try await TestProgram.permit(arguments, environment: environment)
        return (run.status, run.output + run.errors)
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pki-test-\(UUID().uuidString)")
    }

    static func mode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    /// Keys go into tokens unless files are asked for, and never silently into files.
    @Test func initWantsATokenOrAnExplicitChoiceOfFiles() async throws {
        let directory = Self.temporaryDirectory()
        let run = try await Self.permit(["pki", "init", "--out", directory.path])
        #expect(run.status == 64)
        #expect(run.output.contains("Choose where the keys go: --token MODULE"))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    /// `--token`: one SoftHSM2 token per place (in a token directory private to the test); only the
    /// authority's root key is a file; PINs are in 0600 files and never printed.
    @Test func initSetsUpATokenPerPlaceAndVerifyChecksThem() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = SoftHSMTokens.freshEnvironment()
        let run = try await Self.permit(
            ["pki", "init", "--out", directory.path, "--token", SoftHSMTokens.module, "--valid-from", "2026-01-01"], environment: tokens)
        #expect(run.status == 0, "\(run.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.filter { $0.hasSuffix(".key") } == ["root-ca.key"])
        #expect(!files.contains("master-keys.json"))
        for place in ["authority", "issuing", "endorsing", "kiosk", "verifier"] {
            #expect(files.contains("\(place).token.json"))
            for pinFile in ["\(place).pin", "\(place).so-pin"] {
                let url = directory.appendingPathComponent(pinFile)
                #expect(try Self.mode(url) == 0o600, "\(pinFile)")
                let pin = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .newlines)
                #expect(!run.output.contains(pin), "the PIN in \(pinFile) was printed")
            }
        }
        #expect(run.output.contains("kiosk.token.json  token \"permit-kiosk\": master keys of endorsingStation, signing keys kiosk"))

        let verify = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2027-06-01"], environment: tokens)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("kiosk keys (token): passed"))
        #expect(verify.output.components(separatedBy: ": passed").count - 1 == 10)

        // The status list is signed by the authority's token, which no station holds.
        let csv = directory.appendingPathComponent("entries.csv")
        try "3301020304050607,replaced,30,2026-11-20,3\n".write(to: csv, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("status-list.der")
        let signed = try await Self.permit(
            ["pki", "status-list", "--dir", directory.path, "--entries", csv.path, "--sequence", "1", "--test-clock", "2026-11-22", "--out", out.path],
            environment: tokens)
        #expect(signed.status == 0, "\(signed.output)")
        #expect(signed.output.contains("Status List Signer"))
        let checked = try await Self.permit(
            ["pki", "verify", "--dir", directory.path, "--on", "2026-11-25", "--status-list", out.path], environment: tokens)
        #expect(checked.output.contains("status list: passed"), "\(checked.output)")

        // A wrong PIN is refused by the token, named, and not printed.
        let pinFile = directory.appendingPathComponent("authority.pin")
        let rightPIN = try Data(contentsOf: pinFile)
        try Data("00000000\n".utf8).write(to: pinFile)
        let wrongPIN = try await Self.permit(
            ["pki", "status-list", "--dir", directory.path, "--entries", csv.path, "--sequence", "2", "--out", out.path + "2"], environment: tokens)
        #expect(wrongPIN.status == 1)
        #expect(wrongPIN.output.contains("Token \"permit-authority\": The token refused C_Login (CKR_PIN_INCORRECT)"), "\(wrongPIN.output)")
        #expect(!wrongPIN.output.contains("00000000"))
        try rightPIN.write(to: pinFile)

        // The tokens are never overwritten, not even with --force, and the directory is left as it was.
        let again = try await Self.permit(
            ["pki", "init", "--out", directory.path, "--token", SoftHSMTokens.module, "--force"], environment: tokens)
        #expect(again.status == 1)
        #expect(again.output.contains("A token labelled \"permit-authority\" already exists"), "\(again.output)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("kiosk.token.json").path))

        // Another machine's token directory has none of these tokens: the station cannot sign.
        let elsewhere = try await Self.permit(
            ["pki", "status-list", "--dir", directory.path, "--entries", csv.path, "--sequence", "2", "--out", out.path + "2"],
            environment: SoftHSMTokens.freshEnvironment())
        #expect(elsewhere.status == 1)
        #expect(elsewhere.output.contains("No token labelled \"permit-authority\" is present"), "\(elsewhere.output)")
        #expect(!elsewhere.output.contains("Usage:"))
    }

    @Test func initWritesAUsableAuthorityWithPrivateFilesAndPrintsNoKey() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await Self.permit(["pki", "init", "--out", directory.path, "--keys-in-files", "--valid-from", "2026-01-01", "--years", "5"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("valid 2026-01-01T00:00:00Z to 2031-01-01T00:00:00Z"))

        for name in ["root-ca", "document-signer", "issuing-station", "endorsing-station", "kiosk", "status-list-signer"] {
            let keyFile = directory.appendingPathComponent("\(name).key")
            #expect(try Self.mode(keyFile) == 0o600, "\(name).key")
            let pem = try String(contentsOf: keyFile, encoding: .utf8)
            let key = try SigningKey(pemRepresentation: pem)
            let body = pem.split(separator: "\n").dropFirst().dropLast().joined()
            #expect(!run.output.contains(body), "the private key of \(name) was printed")
            let certificate = try PKICertificate(pemEncoded: String(contentsOf: directory.appendingPathComponent("\(name).pem"), encoding: .utf8))
            #expect(certificate.publicKey == key.publicKey)
        }
        let masterFile = directory.appendingPathComponent("master-keys.json")
        #expect(try Self.mode(masterFile) == 0o600)
        let masterKeys = try JSONDecoder().decode(MasterKeySet.self, from: Data(contentsOf: masterFile))
        for role in KeyRole.allCases {
            #expect(!run.output.contains(masterKeys.masterKey(for: role)!.rawBytes.hexString))
        }
        #expect(try Self.mode(directory) == 0o700)

        let verify = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2027-06-01"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.components(separatedBy: ": passed").count - 1 == 10)

        let expired = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2031-01-02"])
        #expect(expired.status == 1)
        #expect(expired.output.contains("expired on 2031-01-01T00:00:00Z"))
    }

    @Test func initRefusesToOverwriteAnAuthorityWithoutForce() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await Self.permit(["pki", "init", "--out", directory.path, "--keys-in-files"]).status == 0)
        let keyFile = directory.appendingPathComponent("root-ca.key")
        let before = try Data(contentsOf: keyFile)

        let again = try await Self.permit(["pki", "init", "--out", directory.path, "--keys-in-files"])
        #expect(again.status != 0)
        #expect(again.output.contains("already exists; nothing was written"))
        #expect(try Data(contentsOf: keyFile) == before)

        #expect(try await Self.permit(["pki", "init", "--out", directory.path, "--keys-in-files", "--force"]).status == 0)
        #expect(try Data(contentsOf: keyFile) != before)
        #expect(try Self.mode(keyFile) == 0o600)
    }

    @Test(arguments: [["--valid-from", "2026-02-30"], ["--years", "0"]])
    func badArgumentsAreRefusedBeforeAnythingIsWritten(arguments: [String]) async throws {
        let directory = Self.temporaryDirectory()
        let run = try await Self.permit(["pki", "init", "--out", directory.path, "--keys-in-files"] + arguments)
        #expect(run.status != 0)
        #expect(run.output.contains(arguments[0]))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func verifyReportsAKeyThatDoesNotMatchItsCertificate() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await Self.permit(["pki", "init", "--out", directory.path, "--keys-in-files", "--valid-from", "2026-01-01"]).status == 0)
        let kioskKey = directory.appendingPathComponent("kiosk.key")
        try FileManager.default.removeItem(at: kioskKey)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("endorsing-station.key"), to: kioskKey)
        let run = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2026-06-01"])
        #expect(run.status == 1)
        #expect(run.output.contains("kiosk keys (files): failed: the kiosk key is not the key of kiosk.pem"))
    }
}

/// `permit pki status-list` and `permit pki verify --status-list`.
@Suite("permit pki status-list")
struct PKIStatusListCommandTests {
    @Test func signsAListThatVerifiesAndRefusesBadLinesWritingNothing() async throws {
        let directory = PKICommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await PKICommandTests.permit(["pki", "init", "--out", directory.path, "--keys-in-files", "--valid-from", "2026-01-01"]).status == 0)
        let csv = directory.appendingPathComponent("entries.csv")
        try "serial,status,reason,effective,sequence\n3301020304050607,replaced,30,2026-11-20,3\n# note\n0000000000000009,cancelled,20,2026-10-01,2\nrevoked,D12FB2A6953F71CA,2026-11-21\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("status-list.bin")
        let run = try await PKICommandTests.permit(["pki", "status-list", "--dir", directory.path, "--entries", csv.path,
                                              "--sequence", "258", "--test-clock", "2026-11-22", "--out", out.path, "--keys-in-files"])
        #expect(run.status == 0, "\(run.output)")

        let list = try SignedStatusList(decoding: Array(Data(contentsOf: out)))
        #expect(list.content.encoded == (try StatusListTests.list().encoded)) // the V7 vector
        let verify = try await PKICommandTests.permit(["pki", "verify", "--dir", directory.path, "--on", "2026-12-01", "--status-list", out.path])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("status list: passed"))

        var tampered = try Data(contentsOf: out)
        tampered[tampered.count - 1] ^= 0x01 // the signature's last byte
        try tampered.write(to: out)
        let refused = try await PKICommandTests.permit(["pki", "verify", "--dir", directory.path, "--on", "2026-12-01", "--status-list", out.path])
        #expect(refused.status == 1)
        #expect(refused.output.contains("status list: failed"))

        try "3301020304050607,lost,30,2026-11-20,3\n".write(to: csv, atomically: true, encoding: .utf8)
        let other = directory.appendingPathComponent("other.bin")
        let bad = try await PKICommandTests.permit(["pki", "status-list", "--dir", directory.path, "--entries", csv.path,
                                              "--sequence", "259", "--out", other.path, "--keys-in-files"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("line 1: \"lost\" is not suspended, cancelled or replaced; nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }
}
