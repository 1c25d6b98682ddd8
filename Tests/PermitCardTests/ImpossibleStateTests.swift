import CardEmulator
import CardSecurity
import Foundation
import Lifecycle
import PermitApplet
import PermitCard
import Testing
import TestPrograms

/// Issue 14 finding 8: the reference card loaded impossible state (a PIN retry counter of FF against a
/// limit of 3, a chip key of 32 zero bytes), and `verify` aborted when that chip refused to authenticate
/// (6F00) instead of failing chip authentication with a verdict.
@Suite("Impossible card state")
struct ImpossibleStateTests {
    @Test("a chip that refuses chip authentication fails it, as a verdict, and nothing else is read")
    func refusingChipIsAVerdict() async throws {
        var state = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        state.appletData["chip-key"] = [UInt8](repeating: 0, count: 32)
        try await withPermitCard(state: state) { bench in
            let verifier = try await bench.permitCard(Fixture.verifier(on: CalendarDate(year: 2026, month: 6, day: 1)!))
            let (_, report) = try await verifier.with(clock: .test(day: CalendarDate(year: 2026, month: 6, day: 1)!)).verify()
            #expect(report[.chipAuthentication]?.description.contains("refused chip authentication") == true, "\(report.failures)")
            #expect(report.failures.map(\.check) == Array(VerificationReport.Check.allCases.dropFirst(2)))
            #expect(throws: PermitCardError.self) { try report.requireValid() }
        }
    }

    @Test("a state file no card could be in is refused, naming the entry", arguments: [
        ("pin.tries", [UInt8(0xFF)], "applet[\"pin.tries\"] is \"FF\", but the tries left are one byte from 00 to the profile's limit of 3"),
        ("chip-key", [UInt8](repeating: 0, count: 32), "applet[\"chip-key\"] is \"" + String(repeating: "00", count: 32) + "\", but a chip key is a P-256 private key"),
        ("lcs", [UInt8(0x07)], "applet[\"lcs\"] is \"07\", but a life-cycle status is 03 (personalisation) or 05 (operational)"),
        ("key.9", [UInt8](repeating: 1, count: 17), "applet[\"key.9\"]"),
        ("pin", Array("12a456".utf8), "applet[\"pin\"]"),
    ])
    func impossibleStateFile(entry: String, value: [UInt8], message: String) async throws {
        var state = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        state.appletData[entry] = value
        let path = ScratchDirectory.file("impossible", suffix: ".json")
        try CardStateStore(path: path).save(state)
        #expect {
            _ = try PermitApplet.card(
                profile: try Fixture.profile("zhejiang"), store: CardStateStore(path: path), serial: Fixture.serial(1),
                masterKeys: Fixture.authority.masterKeys)
        } throws: { error in
            "\(error)".contains("The card state file \(path) holds a state no card can be in: \(message)")
        }
        // The card program says the same and exits, instead of answering nonsense.
        let keys = ScratchDirectory.file("master", suffix: ".json")
        try JSONEncoder().encode(Fixture.authority.masterKeys).write(to: URL(fileURLWithPath: keys))
        let run = try await TestProgram.run(TestProgram.builtProduct("permit-card"), [
            "--profile", "zhejiang", "--master-keys", keys, "--state", path, "--vpcd", "127.0.0.1:1",
        ], environment: ["PERMIT_PROFILES": Fixture.repository.appendingPathComponent("cardprofiles").path], timeout: .seconds(20))
        #expect(run.status == 1)
        #expect(run.errors.contains(message), "\(run.errors)")
        #expect(!run.errors.contains("Usage:"))
    }
}
