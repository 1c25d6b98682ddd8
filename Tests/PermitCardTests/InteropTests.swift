import CardSecurity
import Foundation
import Lifecycle
import PCSCSandbox
import PermitCard
import Testing
import TestPrograms

/// Issue #3 item 7: a reader written in Python from the documents alone (Tests/Interop/verify_card.py,
/// pyscard + cryptography) reads a card this module issued, through the same private pcscd, recomputes
/// the digests and verifies every signature.
@Suite("Interop with an independent Python verifier")
struct InteropTests {
    static let script = Fixture.repository.appendingPathComponent("Tests/Interop/verify_card.py")

    /// Trust anchors and master keys as `permit pki init` lays them out, in a temporary directory.
    static func authorityDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("permitcard-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bundle = Fixture.authority.credentials.map(\.credential.certificate.pemEncoded).joined(separator: "\n")
        try Data(bundle.utf8).write(to: directory.appendingPathComponent("trust-bundle.pem"))
        try JSONEncoder().encode(Fixture.authority.masterKeys).write(to: directory.appendingPathComponent("master-keys.json"))
        return directory
    }

    /// Runs the Python verifier against the card in `bench`'s reader on `date`: its exit status and JSON report.
    static func runPython(_ bench: PCSCBench, date: String = "2027-02-11") async throws -> (status: Int32, report: [String: Any]) {
        let directory = try authorityDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await TestProgram.run("/usr/bin/python3", [
            script.path, "--reader", bench.slot.readerName,
            "--profile", Fixture.repository.appendingPathComponent("cardprofiles/\(bench.profile.name).json").path,
            "--dir", directory.path, "--date", date,
        ], environment: ["PCSCLITE_CSOCK_NAME": PCSCSandbox.shared.socketPath])
        guard let report = try? JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any] else {
            throw BenchFailure("the Python verifier printed no report (status \(run.status)): \(run.errors)")
        }
        return (run.status, report)
    }

    @Test("the Python verifier accepts a card issued and endorsed by PermitCard")
    func pythonAcceptsIssuedCard() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            _ = try await kiosk.with(clock: .test(day: CalendarDate(year: 2027, month: 2, day: 10)!)).endorse()
            let (status, report) = try await Self.runPython(bench)
            let checks = try #require(report["checks"] as? [String: String])
            #expect(status == 0, "\(checks)")
            #expect(report["serial"] as? String == "5A4A000000000001")
            #expect(Set(checks.keys) == ["complete", "chipAuthentication", "authoritySignature", "dataIntegrity", "residence", "endorsements", "status"])
            #expect(checks.values.allSatisfy { $0 == "passed" }, "\(checks)")
        }
    }

    @Test("the Python verifier rejects the same card with one altered byte in the holder file")
    func pythonRejectsAlteredCard() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let aid = try Fixture.profile("zhejiang").card.aid
        let altered = try issued.editing(file: 2, aid: aid) { content in
            guard case .transparent(var data) = content else { return }
            data[5] ^= 0x01
            content = .transparent(data: data)
        }
        try await withPCSCCard(state: altered) { bench in
            let (status, report) = try await Self.runPython(bench)
            let checks = try #require(report["checks"] as? [String: String])
            #expect(status == 1)
            #expect(checks["dataIntegrity"]?.hasPrefix("failed") == true, "\(checks)")
            #expect(checks["authoritySignature"] == "passed")
        }
    }
}
