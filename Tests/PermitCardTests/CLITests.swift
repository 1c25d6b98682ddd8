import CardSecurity
import Foundation
import PCSCSandbox
import PermitApplet
import PermitCard
import SmartCard
import Testing
import TestPrograms

/// `permit card ...` run as an officer runs it: the built binary, an authority from `permit pki init` with
/// every place's keys in a SoftHSM2 token (a token directory of the test's own), the card program
/// `permit-card` (its blank card's key from the issuing token) in a sandbox reader, text and exit status out.
@Suite("permit card CLI")
struct CLITests {
    /// Runs `permit arguments...` against the sandbox's pcscd, feeding `input` on standard input.
    static func permit(_ arguments: [String], input: String = "", tokens: [String: String] = [:]) async throws -> TestProgram.Result {
        try await TestProgram.permit(arguments, environment: ["PCSCLITE_CSOCK_NAME": PCSCSandbox.shared.socketPath].merging(tokens) { $1 },
                                     input: Data(input.utf8))
    }

    /// An authority made by `permit pki init --token` (every place's keys in a SoftHSM2 token, in a token
    /// directory of the test's own) or `--keys-in-files`, an empty signed status list and an application file.
    struct Authority: Sendable {
        let pki: String
        let tokens: [String: String]
        let inFiles: Bool
        let application: URL

        /// `permit arguments...` with the authority's token directory (and `--keys-in-files` for card commands when the keys are files).
        func permit(_ arguments: [String], input: String = "") async throws -> TestProgram.Result {
            try await CLITests.permit(arguments + (inFiles && arguments.first == "card" ? ["--keys-in-files"] : []), input: input, tokens: tokens)
        }

        /// An empty status list the authority signed on `day` (YYYY-MM-DD), so it is fresh when a card is
        /// verified that day; its sequence rises with the day.
        func list(on day: String) async throws -> String {
            let path = pki + "/../status-list-\(day).der"
            let signed = try await permit(
                ["pki", "status-list", "--dir", pki, "--entries", application.deletingLastPathComponent().path + "/entries.csv",
                 "--sequence", day.replacingOccurrences(of: "-", with: ""), "--test-clock", day, "--out", path]
                    + (inFiles ? ["--keys-in-files"] : []))
            guard signed.status == 0 else { throw BenchFailure("the status list of \(day) was not signed: \(signed.errors)") }
            return path
        }
    }

    /// Runs `body` with a fresh authority in a temporary directory removed afterwards.
    static func withAuthority<T>(inFiles: Bool = false, _ body: (Authority) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("permitcard-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pki = directory.appendingPathComponent("pki").path
        let tokens = SoftHSMTokens.freshEnvironment()
        let keys = inFiles ? ["--keys-in-files"] : ["--token", SoftHSMTokens.module]
        let created = try await Self.permit(["pki", "init", "--out", pki, "--valid-from", "2025-01-01"] + keys, tokens: tokens)
        #expect(created.status == 0, "\(created.errors)")
        let application = directory.appendingPathComponent("application.json")
        try JSONEncoder().encode(Fixture.request(pin: nil)).write(to: application)
        let entries = directory.appendingPathComponent("entries.csv")
        try Data("serial,status,reason,effective\n".utf8).write(to: entries)
        return try await body(Authority(pki: pki, tokens: tokens, inFiles: inFiles, application: application))
    }

    /// The card program `permit-card` with a blank zhejiang card whose issuing key the card bureau (the
    /// authority's issuing token) diversified, in a sandbox reader: the station's whole path is real.
    static func withCardProgram<T>(_ authority: Authority, serial: CardSerial, _ body: (_ reader: String) async throws -> T) async throws -> T {
        let keys = authority.inFiles ? ["--master-keys", authority.pki + "/master-keys.json"] : ["--keys", authority.pki + "/issuing.token.json"]
        return try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let card = try await TestProgram(TestProgram.builtProduct("permit-card"), [
                "--profile", "zhejiang", "--serial", serial.description, "--vpcd", "127.0.0.1:\(slot.port)",
            ] + keys, environment: authority.tokens.merging(["PERMIT_PROFILES": Fixture.repository.appendingPathComponent("cardprofiles").path]) { $1 })
            defer { card.signal(SIGKILL) }
            let context = PCSCContext(callTimeout: .seconds(10))
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true, timeout: .seconds(20))
            try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context, timeout: .seconds(10))
            let result = try await body(slot.readerName)
            let stopped = try await card.stop()
            #expect(stopped.status == 0, "\(stopped.errors)")
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false, timeout: .seconds(10))
            return result
        }
    }

    @Test("issue, verify, endorse at a kiosk, read as JSON and cancel, each from the command line, keys in tokens")
    func lifecycleFromTheCommandLine() async throws {
        try await Self.withAuthority { authority in
            let (pki, application) = (authority.pki, authority.application)
            try await Self.withCardProgram(authority, serial: Fixture.serial(5)) { reader in
                let common = ["--reader", reader, "--pki", pki]
                let issued = try await authority.permit(["card", "issue"] + common + ["--application", application.path, "--pin-stdin", "--test-clock", "2026-03-01"], input: "123456\n")
                #expect(issued.status == 0, "\(issued.errors)")
                #expect(issued.output.contains("Issued card 5A4A000000000005 (zhejiang)"))
                #expect(issued.errors.contains("warning: TEST CLOCK: acting as of 2026-03-01, not the real date"), "\(issued.errors)")
                #expect(!issued.output.contains("123456") && !issued.errors.contains("123456"))

                let again = try await authority.permit(["card", "issue"] + common + ["--application", application.path, "--test-clock", "2026-03-01"])
                #expect(again.status != 0)
                #expect(again.errors.contains("already issued"))

                let unlisted = try await authority.permit(["card", "verify"] + common + ["--test-clock", "2026-06-01"])
                #expect(unlisted.status == 1)
                #expect(unlisted.output.contains("status list          failed: no signed status list is carried"))

                let valid = try await authority.permit(["card", "verify"] + common + ["--test-clock", "2026-06-01", "--status-list", try await authority.list(on: "2026-06-01")])
                #expect(valid.status == 0, "\(valid.output)\(valid.errors)")
                for check in VerificationReport.Check.allCases {
                    #expect(valid.output.contains("\(check.title.padding(toLength: 20, withPad: " ", startingAt: 0)) passed"), "\(check)")
                }
                #expect(valid.output.contains("Verdict: VALID"))

                let early = try await authority.permit(["card", "endorse"] + common + ["--kiosk", "--test-clock", "2026-12-01"])
                #expect(early.status != 0)
                #expect(early.errors.contains("window opens on 2027-02-01"))
                let endorsed = try await authority.permit(["card", "endorse"] + common + ["--kiosk", "--test-clock", "2027-02-10", "--json"])
                #expect(endorsed.status == 0, "\(endorsed.errors)")
                let endorsement = try #require(try JSONSerialization.jsonObject(with: Data(endorsed.output.utf8)) as? [String: String])
                #expect(endorsement["class"] == "timely")
                #expect(endorsement["expiry"] == "2028-03-01")

                let read = try await authority.permit(["card", "read"] + common + ["--test-clock", "2027-02-11", "--json", "--status-list", try await authority.list(on: "2027-02-11")])
                #expect(read.status == 0, "\(read.errors)")
                let report = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any])
                #expect(report["valid"] as? Bool == true)
                #expect((report["holder"] as? [String: Any])?["name"] as? String == Fixture.holder.name)
                #expect((report["permit"] as? [String: Any])?["endorsements"] as? Int == 1)

                let moved = try await authority.permit(["card", "address"] + common + ["--district", "330106", "--address", "浙江省杭州市西湖区文三路1号", "--since", "2027-02-01", "--test-clock", "2027-02-12"])
                #expect(moved.status == 0, "\(moved.errors)")
                #expect(moved.output.contains("record 2"))
                let suspended = try await authority.permit(["card", "suspend"] + common + ["--test-clock", "2027-02-13"])
                #expect(suspended.output.contains("suspended (by an officer's order)"), "\(suspended.errors)")
                let twice = try await authority.permit(["card", "suspend"] + common + ["--test-clock", "2027-02-13"])
                #expect(twice.status != 0)
                #expect(twice.errors.contains("Cannot record"))
                let restored = try await authority.permit(["card", "restore"] + common + ["--test-clock", "2027-02-14"])
                #expect(restored.output.contains("in force (restored by an officer)"), "\(restored.errors)")
                // Only with the holder's PUK, printed once at issuance for the PIN letter.
                let puk = try #require(issued.output.split(separator: "\n").first { $0.contains("PUK") }?.split(separator: " ").last.map(String.init))
                let withoutPUK = try await authority.permit(["card", "unblock-pin"] + common, input: "654321\n")
                #expect(withoutPUK.status != 0 && withoutPUK.errors.contains("the holder's PUK is needed"), "\(withoutPUK.errors)")
                let unblocked = try await authority.permit(["card", "unblock-pin"] + common + ["--puk-stdin"], input: "\(puk)\n654321\n")
                #expect(unblocked.output.contains("3 tries left"), "\(unblocked.errors)")

                let cancelled = try await authority.permit(["card", "cancel"] + common + ["--reason", "localHukou", "--test-clock", "2027-03-01"])
                #expect(cancelled.status == 0, "\(cancelled.errors)")
                #expect(cancelled.output.contains("cancelled (localHukou)"))
                let afterCancel = try await authority.permit(["card", "verify"] + common + ["--test-clock", "2027-03-02", "--status-list", try await authority.list(on: "2027-03-02")])
                #expect(afterCancel.status == 1)
                #expect(afterCancel.output.contains("Verdict: NOT VALID"))
                #expect(afterCancel.output.contains("Status list: status list 20270302 of 2027-03-02, 0 days old (at most 7)"), "\(afterCancel.output)")
                // This station has relied on list 20270302: an older one is refused before the card is touched.
                let older = try await authority.permit(["card", "verify"] + common + ["--test-clock", "2027-03-02", "--status-list", try await authority.list(on: "2027-02-11")])
                #expect(older.status != 0)
                #expect(older.errors.contains("Status list 20270211 is older than status list 20270302, which this terminal has already seen"), "\(older.errors)")
            }
        }
    }

    @Test("replace: the blank card in one reader gets the permit of the card in another, which is voided")
    func replaceFromTheCommandLine() async throws {
        try await Self.withAuthority { authority in
            let (pki, application) = (authority.pki, authority.application)
            let list = try await authority.list(on: "2026-04-02")
            try await Self.withCardProgram(authority, serial: Fixture.serial(6)) { oldReader in
                try await Self.withCardProgram(authority, serial: Fixture.serial(7)) { newReader in
                    let issued = try await authority.permit(["card", "issue", "--reader", oldReader, "--pki", pki, "--application", application.path, "--test-clock", "2026-03-01"])
                    #expect(issued.status == 0, "\(issued.errors)")
                    let replaced = try await authority.permit(["card", "replace", "--reader", newReader, "--old-reader", oldReader,
                                                          "--pki", pki, "--reason", "lost", "--test-clock", "2026-04-01", "--json"])
                    #expect(replaced.status == 0, "\(replaced.errors)")
                    #expect(replaced.output.contains("5A4A000000000007"))
                    let newCard = try await authority.permit(["card", "verify", "--reader", newReader, "--pki", pki, "--status-list", list, "--test-clock", "2026-04-02"])
                    #expect(newCard.status == 0, "\(newCard.output)")
                    #expect(newCard.output.contains("Replaces:  card 5A4A000000000006"))
                    let oldCard = try await authority.permit(["card", "verify", "--reader", oldReader, "--pki", pki, "--status-list", list, "--test-clock", "2026-04-02"])
                    #expect(oldCard.status == 1)
                    #expect(oldCard.output.contains("replaced (lost)"))
                }
            }
        }
    }

    /// Issue 15 finding 1: `--on` set the date of what a station signs (`card endorse --on 2026-01-10` signed a
    /// backdated endorsement). It is gone from every command that signs; the test clock replaces it for tests.
    @Test("--on is refused by every card command and by the status list, before anything is read or signed",
          arguments: [["card", "endorse", "--kiosk"], ["card", "issue", "--application", "a.json"], ["card", "cancel", "--reason", "localHukou"],
                      ["card", "verify"], ["pki", "status-list", "--entries", "e.csv", "--sequence", "2", "--out", "l.der"]])
    func noCallerChosenSigningDate(command: [String]) async throws {
        let directory = command[0] == "card" ? ["--pki", "/nonexistent"] : ["--dir", "/nonexistent"]
        let result = try await Self.permit(command + directory + ["--on", "2026-01-10"])
        #expect(result.status == 64, "\(result.errors)")
        #expect(result.errors.contains("Unknown option '--on'"), "\(result.errors)")
    }

    /// The test clock needs a test authority's root, which carries its mark inside its own signature: a
    /// station's configuration cannot turn it on with a production trust bundle.
    @Test("--test-clock is refused unless the trust bundle's root is a test authority's; nothing is touched")
    func testClockNeedsATestAuthority() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("permitcard-clock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let production = try CertificateAuthority.makeRoot(
            name: "Provincial Authority Root", key: SigningKey.random(), notBefore: Fixture.moment(Fixture.issueDay),
            notAfter: Fixture.moment(CalendarDate(year: 2035, month: 1, day: 1)!))
        #expect(!production.isTestAuthority)
        #expect(Fixture.authority.root.certificate.isTestAuthority)
        try production.pemEncoded.write(to: directory.appendingPathComponent("trust-bundle.pem"), atomically: true, encoding: .utf8)
        for command in [["card", "endorse", "--kiosk", "--pki", directory.path], ["card", "verify", "--pki", directory.path],
                        ["pki", "status-list", "--dir", directory.path, "--entries", "e.csv", "--sequence", "2", "--out", directory.path + "/l.der"]] {
            let result = try await Self.permit(command + ["--test-clock", "2026-01-10"])
            #expect(result.status == 1, "\(result.errors)")
            #expect(result.errors.contains("--test-clock: certificate \"CN=Provincial Authority Root\" is not a test authority's root"), "\(result.errors)")
            #expect(!result.errors.contains("Usage:") && !result.errors.contains("TEST CLOCK"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/l.der"))
    }

    /// Issue 14 finding 1: a kiosk's development key file holding only the endorsing master key could not be
    /// loaded. Files are used only when asked for, with a warning, and each place takes only its roles' keys.
    @Test("development key files: only with --keys-in-files, with a warning; a kiosk's file may hold its endorsing key alone")
    func developmentKeyFiles() async throws {
        try await Self.withAuthority(inFiles: true) { authority in
            try await Self.withCardProgram(authority, serial: Fixture.serial(8)) { reader in
                let common = ["--reader", reader, "--pki", authority.pki]
                let issued = try await authority.permit(["card", "issue"] + common + ["--application", authority.application.path, "--test-clock", "2026-03-01"])
                #expect(issued.status == 0, "\(issued.errors)")
                #expect(issued.errors.contains("warning: the keys are read from files in \(authority.pki) (--keys-in-files): for development only"))

                let noToken = try await CLITests.permit(["card", "verify"] + common + ["--test-clock", "2026-06-01"], tokens: authority.tokens)
                #expect(noToken.status == 1)
                #expect(noToken.errors.contains("has no key configuration for the field verifier (verifier.token.json)"), "\(noToken.errors)")
                #expect(!noToken.errors.contains("Usage:"))

                let file = URL(fileURLWithPath: authority.pki).appendingPathComponent("master-keys.json")
                let kioskOnly = try JSONDecoder().decode(MasterKeySet.self, from: Data(contentsOf: file)).restricted(to: [.endorsingStation])
                try JSONEncoder().encode(kioskOnly).write(to: file)
                let endorsed = try await authority.permit(["card", "endorse"] + common + ["--kiosk", "--test-clock", "2027-02-10"])
                #expect(endorsed.status == 0, "\(endorsed.errors)")
                #expect(endorsed.output.contains("Endorsement 1 (timely)"))
                let suspended = try await authority.permit(["card", "suspend"] + common + ["--test-clock", "2027-02-13"])
                #expect(suspended.status == 1)
                #expect(suspended.errors.contains("it lacks the issuing station master key"), "\(suspended.errors)")
            }
        }
    }
}
