import ISO7816
@testable import CardSecurity
import Foundation
import Testing
import TestPrograms

/// `permit pki init` and `permit pki verify`, run as the built program an officer runs.
@Suite("permit pki")
struct PKICommandTests {
    /// Runs the `permit` executable built next to the test bundle: its status and everything it wrote.
    static func permit(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let run = try await TestProgram.run(TestProgram.builtProduct("permit"), arguments)
        return (run.status, run.output + run.errors)
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pki-test-\(UUID().uuidString)")
    }

    static func mode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
    }

    @Test func initWritesAUsableAuthorityWithPrivateFilesAndPrintsNoKey() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await Self.permit(["pki", "init", "--out", directory.path, "--valid-from", "2026-01-01", "--years", "5"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("valid 2026-01-01T00:00:00Z to 2031-01-01T00:00:00Z"))

        for name in ["root-ca", "document-signer", "issuing-station", "endorsing-station", "kiosk"] {
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
            #expect(!run.output.contains(masterKeys.masterKey(for: role).rawBytes.hexString))
        }
        #expect(try Self.mode(directory) == 0o700)

        let verify = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2027-06-01"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.components(separatedBy: " passed").count - 1 == 4)

        let expired = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2031-01-02"])
        #expect(expired.status == 1)
        #expect(expired.output.contains("expired on 2031-01-01T00:00:00Z"))
    }

    @Test func initRefusesToOverwriteAnAuthorityWithoutForce() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await Self.permit(["pki", "init", "--out", directory.path]).status == 0)
        let keyFile = directory.appendingPathComponent("root-ca.key")
        let before = try Data(contentsOf: keyFile)

        let again = try await Self.permit(["pki", "init", "--out", directory.path])
        #expect(again.status != 0)
        #expect(again.output.contains("already exists; nothing was written"))
        #expect(try Data(contentsOf: keyFile) == before)

        #expect(try await Self.permit(["pki", "init", "--out", directory.path, "--force"]).status == 0)
        #expect(try Data(contentsOf: keyFile) != before)
        #expect(try Self.mode(keyFile) == 0o600)
    }

    @Test(arguments: [["--valid-from", "2026-02-30"], ["--years", "0"]])
    func badArgumentsAreRefusedBeforeAnythingIsWritten(arguments: [String]) async throws {
        let directory = Self.temporaryDirectory()
        let run = try await Self.permit(["pki", "init", "--out", directory.path] + arguments)
        #expect(run.status != 0)
        #expect(run.output.contains(arguments[0]))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func verifyReportsAKeyThatDoesNotMatchItsCertificate() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await Self.permit(["pki", "init", "--out", directory.path, "--valid-from", "2026-01-01"]).status == 0)
        let kioskKey = directory.appendingPathComponent("kiosk.key")
        try FileManager.default.removeItem(at: kioskKey)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("endorsing-station.key"), to: kioskKey)
        let run = try await Self.permit(["pki", "verify", "--dir", directory.path, "--on", "2026-06-01"])
        #expect(run.status == 1)
        #expect(run.output.contains("kiosk.key is not the key of kiosk.pem"))
    }
}

/// `permit pki status-list` and `permit pki verify --status-list`.
@Suite("permit pki status-list")
struct PKIStatusListCommandTests {
    @Test func signsAListThatVerifiesAndRefusesBadLinesWritingNothing() async throws {
        let directory = PKICommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await PKICommandTests.permit(["pki", "init", "--out", directory.path, "--valid-from", "2026-01-01"]).status == 0)
        let csv = directory.appendingPathComponent("entries.csv")
        try "serial,status,reason,effective\n3301020304050607,replaced,30,2026-11-20\n# note\n0000000000000009,cancelled,20,2026-10-01\n"
            .write(to: csv, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("status-list.bin")
        let run = try await PKICommandTests.permit(["pki", "status-list", "--dir", directory.path, "--entries", csv.path,
                                              "--sequence", "258", "--on", "2026-11-22", "--out", out.path])
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

        try "3301020304050607,lost,30,2026-11-20\n".write(to: csv, atomically: true, encoding: .utf8)
        let other = directory.appendingPathComponent("other.bin")
        let bad = try await PKICommandTests.permit(["pki", "status-list", "--dir", directory.path, "--entries", csv.path,
                                              "--sequence", "259", "--out", other.path])
        #expect(bad.status != 0)
        #expect(bad.output.contains("line 1: \"lost\" is not suspended, cancelled or replaced; nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }
}
