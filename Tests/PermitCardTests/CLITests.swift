import CardSecurity
import Foundation
import PCSCSandbox
import PermitApplet
import PermitCard
import Testing
import TestPrograms

/// `permit card ...` run as an officer runs it: the built binary, an authority from `permit pki init`,
/// a card in a sandbox reader, text and exit status out.
@Suite("permit card CLI")
struct CLITests {
    /// Runs `permit arguments...` against the sandbox's pcscd, feeding `input` on standard input.
    static func permit(_ arguments: [String], input: String = "") async throws -> TestProgram.Result {
        try await TestProgram.run(TestProgram.builtProduct("permit"), arguments, environment: [
            "PCSCLITE_CSOCK_NAME": PCSCSandbox.shared.socketPath,
            "PERMIT_PROFILES": Fixture.repository.appendingPathComponent("cardprofiles").path,
        ], input: Data(input.utf8))
    }

    /// An authority made by `permit pki init`, an empty signed status list and an application file, in a
    /// temporary directory removed afterwards.
    static func withAuthority<T>(_ body: (_ pki: String, _ masterKeys: MasterKeySet, _ application: URL, _ list: String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("permitcard-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pki = directory.appendingPathComponent("pki").path
        let created = try await Self.permit(["pki", "init", "--out", pki, "--valid-from", "2025-01-01"])
        #expect(created.status == 0, "\(created.errors)")
        let masterKeys = try JSONDecoder().decode(MasterKeySet.self, from: Data(contentsOf: URL(fileURLWithPath: pki).appendingPathComponent("master-keys.json")))
        let application = directory.appendingPathComponent("application.json")
        try JSONEncoder().encode(Fixture.request(pin: nil)).write(to: application)
        let entries = directory.appendingPathComponent("entries.csv")
        try Data("serial,status,reason,effective\n".utf8).write(to: entries)
        let list = directory.appendingPathComponent("status-list.der").path
        let signed = try await Self.permit(["pki", "status-list", "--dir", pki, "--entries", entries.path, "--sequence", "1", "--on", "2026-03-01", "--out", list])
        #expect(signed.status == 0, "\(signed.errors)")
        return try await body(pki, masterKeys, application, list)
    }

    @Test("issue, verify, endorse at a kiosk, read as JSON and cancel, each from the command line")
    func lifecycleFromTheCommandLine() async throws {
        try await Self.withAuthority { pki, masterKeys, application, list in
            let profile = try Fixture.profile("zhejiang")
            let blank = try PermitApplet.initialState(profile: profile, serial: Fixture.serial(5), masterKeys: masterKeys)
            try await withPermitCard(state: blank) { bench in
                let common = ["--reader", bench.slot.readerName, "--pki", pki]
                let issued = try await Self.permit(["card", "issue"] + common + ["--application", application.path, "--pin-stdin", "--on", "2026-03-01"], input: "123456\n")
                #expect(issued.status == 0, "\(issued.errors)")
                #expect(issued.output.contains("Issued card 5A4A000000000005 (zhejiang)"))
                #expect(!issued.output.contains("123456") && !issued.errors.contains("123456"))

                let again = try await Self.permit(["card", "issue"] + common + ["--application", application.path, "--on", "2026-03-01"])
                #expect(again.status != 0)
                #expect(again.errors.contains("already issued"))

                let unlisted = try await Self.permit(["card", "verify"] + common + ["--on", "2026-06-01"])
                #expect(unlisted.status == 1)
                #expect(unlisted.output.contains("status list          failed: no signed status list is carried"))

                let valid = try await Self.permit(["card", "verify"] + common + ["--on", "2026-06-01", "--status-list", list])
                #expect(valid.status == 0, "\(valid.output)\(valid.errors)")
                for check in VerificationReport.Check.allCases {
                    #expect(valid.output.contains("\(check.title.padding(toLength: 20, withPad: " ", startingAt: 0)) passed"), "\(check)")
                }
                #expect(valid.output.contains("Verdict: VALID"))

                let early = try await Self.permit(["card", "endorse"] + common + ["--kiosk", "--on", "2026-12-01"])
                #expect(early.status != 0)
                #expect(early.errors.contains("window opens on 2027-02-01"))
                let endorsed = try await Self.permit(["card", "endorse"] + common + ["--kiosk", "--on", "2027-02-10", "--json"])
                #expect(endorsed.status == 0, "\(endorsed.errors)")
                let endorsement = try #require(try JSONSerialization.jsonObject(with: Data(endorsed.output.utf8)) as? [String: String])
                #expect(endorsement["class"] == "timely")
                #expect(endorsement["expiry"] == "2028-03-01")

                let read = try await Self.permit(["card", "read"] + common + ["--on", "2027-02-11", "--json", "--status-list", list])
                #expect(read.status == 0, "\(read.errors)")
                let report = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any])
                #expect(report["valid"] as? Bool == true)
                #expect((report["holder"] as? [String: Any])?["name"] as? String == Fixture.holder.name)
                #expect((report["permit"] as? [String: Any])?["endorsements"] as? Int == 1)

                let moved = try await Self.permit(["card", "address"] + common + ["--district", "330106", "--address", "浙江省杭州市西湖区文三路1号", "--since", "2027-02-01", "--on", "2027-02-12"])
                #expect(moved.status == 0, "\(moved.errors)")
                #expect(moved.output.contains("record 2"))
                let suspended = try await Self.permit(["card", "suspend"] + common + ["--on", "2027-02-13"])
                #expect(suspended.output.contains("suspended (by an officer's order)"), "\(suspended.errors)")
                let twice = try await Self.permit(["card", "suspend"] + common + ["--on", "2027-02-13"])
                #expect(twice.status != 0)
                #expect(twice.errors.contains("Cannot record"))
                let restored = try await Self.permit(["card", "restore"] + common + ["--on", "2027-02-14"])
                #expect(restored.output.contains("in force (restored by an officer)"), "\(restored.errors)")
                let unblocked = try await Self.permit(["card", "unblock-pin"] + common + ["--pin-stdin"], input: "654321\n")
                #expect(unblocked.output.contains("3 tries left"), "\(unblocked.errors)")

                let cancelled = try await Self.permit(["card", "cancel"] + common + ["--reason", "localHukou", "--on", "2027-03-01"])
                #expect(cancelled.status == 0, "\(cancelled.errors)")
                #expect(cancelled.output.contains("cancelled (localHukou)"))
                let afterCancel = try await Self.permit(["card", "verify"] + common + ["--on", "2027-03-02", "--status-list", list])
                #expect(afterCancel.status == 1)
                #expect(afterCancel.output.contains("Verdict: NOT VALID"))
            }
        }
    }

    @Test("replace: the blank card in one reader gets the permit of the card in another, which is voided")
    func replaceFromTheCommandLine() async throws {
        try await Self.withAuthority { pki, masterKeys, application, list in
            let profile = try Fixture.profile("zhejiang")
            let old = try PermitApplet.initialState(profile: profile, serial: Fixture.serial(6), masterKeys: masterKeys)
            let new = try PermitApplet.initialState(profile: profile, serial: Fixture.serial(7), masterKeys: masterKeys)
            try await withPermitCard(state: old) { oldBench in
                try await withPermitCard(state: new) { newBench in
                    let issued = try await Self.permit(["card", "issue", "--reader", oldBench.slot.readerName, "--pki", pki, "--application", application.path, "--on", "2026-03-01"])
                    #expect(issued.status == 0, "\(issued.errors)")
                    let replaced = try await Self.permit(["card", "replace", "--reader", newBench.slot.readerName, "--old-reader", oldBench.slot.readerName,
                                                          "--pki", pki, "--reason", "lost", "--on", "2026-04-01", "--json"])
                    #expect(replaced.status == 0, "\(replaced.errors)")
                    #expect(replaced.output.contains("5A4A000000000007"))
                    let newCard = try await Self.permit(["card", "verify", "--reader", newBench.slot.readerName, "--pki", pki, "--status-list", list, "--on", "2026-04-02"])
                    #expect(newCard.status == 0, "\(newCard.output)")
                    #expect(newCard.output.contains("Replaces:  card 5A4A000000000006"))
                    let oldCard = try await Self.permit(["card", "verify", "--reader", oldBench.slot.readerName, "--pki", pki, "--status-list", list, "--on", "2026-04-02"])
                    #expect(oldCard.status == 1)
                    #expect(oldCard.output.contains("replaced (lost)"))
                }
            }
        }
    }
}
