import CardBudget
import CardEmulator
import CardSecurity
import Foundation
import Lifecycle
import PCSCSandbox
@testable import PermitCard
import SmartCard
import Synchronization
import Testing

/// The deliberate end-to-end set: the card application through the real stack (Swift -> libpcsclite ->
/// private pcscd -> vpcd -> reference card). Every operation once, a card pulled mid-issuance, and pcscd
/// going away under an open connection. The logic itself is tested in process; here the point is that
/// the real stack behaves as the in-process reader does. (The CLI, with `replace` across two readers,
/// and the Python verifier are in `CLITests` and `InteropTests`, also through pcscd.)
@Suite("End to end through pcscd")
struct EndToEndTests {
    /// A test clock stopped on the day.
    static func on(_ year: Int, _ month: Int, _ day: Int) -> StationClock {
        .test(day: CalendarDate(year: year, month: month, day: day)!)
    }

    /// One act of a station, with the terminal that performs it.
    struct Step: Sendable {
        let name: String
        let terminal: PermitTerminal
        let act: @Sendable (PermitCard) async throws -> Void
    }

    static var steps: [Step] {
        let moved = ResidenceAddress(district: Fixture.address.district, text: "浙江省杭州市西湖区文三路1号", since: Fixture.address.since)
        // Each card's PUK, in the order the cards were issued (each step runs on one card, then the other).
        let puks = Mutex<[String]>([])
        return [
            Step(name: "issue", terminal: Fixture.issuingStation()) { card in
                let result = try await card.with(clock: on(2026, 3, 1)).issue(Fixture.request())
                puks.withLock { $0.append(result.puk ?? "") }
            },
            Step(name: "inspect", terminal: Fixture.verifier(statusList: nil)) { card in
                let phase = try await card.inspect().phase
                #expect(phase == .issued)
            },
            Step(name: "verify", terminal: Fixture.verifier(on: CalendarDate(year: 2026, month: 6, day: 1)!)) { card in
                let (_, report) = try await card.with(clock: on(2026, 6, 1)).verify()
                #expect(report.passed, "\(report.failures)")
            },
            Step(name: "endorse at a kiosk", terminal: Fixture.kiosk) { card in
                let record = try await card.with(clock: on(2027, 2, 10)).endorse()
                #expect(record.number == 1)
            },
            Step(name: "verify the holder PIN", terminal: Fixture.kiosk) { try await $0.verifyPIN("123456") },
            Step(name: "change address", terminal: Fixture.issuingStation()) { card in
                let record = try await card.with(clock: on(2027, 2, 11)).changeAddress(to: moved)
                #expect(record.sequence == 2)
            },
            Step(name: "suspend", terminal: Fixture.issuingStation()) { card in
                let record = try await card.with(clock: on(2027, 2, 12)).suspend()
                #expect(record.sequence == 2)
            },
            Step(name: "restore", terminal: Fixture.issuingStation()) { card in
                let record = try await card.with(clock: on(2027, 2, 13)).restore()
                #expect(record.sequence == 3)
            },
            Step(name: "unblock the PIN with the holder's PUK and a new PIN", terminal: Fixture.issuingStation()) { card in
                try await card.unblockPIN(puk: puks.withLock { $0.removeFirst() }, newPIN: "654321")
            },
            Step(name: "PIN tries", terminal: Fixture.kiosk) { card in
                let tries = try await card.pinTriesLeft()
                #expect(tries == 3)
            },
            Step(name: "cancel", terminal: Fixture.issuingStation()) { _ = try await $0.with(clock: on(2027, 3, 1)).cancel(reason: .localHukou) },
            Step(name: "verify a cancelled card", terminal: Fixture.verifier(on: CalendarDate(year: 2027, month: 3, day: 2)!)) { card in
                let (reading, report) = try await card.with(clock: on(2027, 3, 2)).verify()
                #expect(try reading.status().recorded == .cancelled)
                #expect(report.failures.map(\.check) == [.status])
            },
        ]
    }

    @Test("every operation once through pcscd sends the same APDUs and bytes as in process")
    func everyOperation() async throws {
        try await withPCSCCard { pcsc in
            try await withPermitCard { inProcess in
                for step in Self.steps {
                    let (real, local) = (APDUTrace(), APDUTrace())
                    try await step.act(try await pcsc.permitCard(step.terminal, trace: real))
                    try await step.act(try await inProcess.permitCard(step.terminal, trace: local))
                    #expect(real.totals.apdus > 0, "\(step.name)")
                    let sent = try APDUBudget.steps(of: real, profile: pcsc.profile)
                    #expect(sent == (try APDUBudget.steps(of: local, profile: inProcess.profile)), "\(step.name)")
                }
            }
        }
    }

    @Test("a card pulled through vpcd during issuance is incomplete, never verifies, and the issuance resumes")
    func interruptedIssuance() async throws {
        try await withPCSCCard { bench in
            let station = try await bench.permitCard(Fixture.issuingStation())
            bench.setFaultPlan(FaultPlan(removal: .afterAPDU(9)))
            do {
                _ = try await station.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
                Issue.record("the issuance finished on a pulled card")
            } catch PermitCardError.communication {}
            try await bench.reinsert()

            let again = try await bench.permitCard(Fixture.issuingStation())
            #expect(try await again.inspect().phase == .incomplete, "the interrupted card is recognised as incomplete")
            let (_, report) = try await again.with(clock: .test(day: Fixture.issueDay)).verify()
            #expect(report[.complete] != .passed)
            #expect(throws: PermitCardError.cardIncomplete(serial: Fixture.serial(1))) { try report.requireValid() }
            await #expect(throws: PermitCardError.cardIncomplete(serial: Fixture.serial(1))) {
                try await again.with(clock: .test(day: Fixture.issueDay)).endorse()
            }

            let resumed = try await again.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            #expect(resumed.resumed)
            let (_, after) = try await again.with(clock: .test(day: Fixture.issueDay)).verify()
            #expect(after.passed, "\(after.failures)")
            await #expect(throws: PermitCardError.alreadyIssued(serial: Fixture.serial(1))) {
                try await again.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            }
        }
    }

    @Test("pcscd killed under an open connection: the endorsement fails, nothing is written, and it succeeds once pcscd is back")
    func daemonRestart() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let sandbox = PCSCSandbox.shared
        try await sandbox.withExclusiveDaemon { slots in
            try await withPCSCCard(in: slots[0], state: issued) { bench in
                let kiosk = try await bench.permitCard(Fixture.kiosk)
                #expect(try await kiosk.inspect().phase == .issued)
                await sandbox.stopDaemon(crash: true)
                do {
                    _ = try await kiosk.with(clock: Self.on(2027, 2, 10)).endorse()
                    Issue.record("endorsed without pcscd")
                } catch PermitCardError.communication {}
                #expect(bench.card.state == issued)

                try await sandbox.startDaemon()
                try await bench.link.waitUntilConnected()
                try await bench.waitUntilAnswering()
                // The same connection reconnects by itself; the operation starts from SELECT again.
                let record = try await kiosk.with(clock: Self.on(2027, 2, 10)).endorse()
                #expect(record.number == 1)
                let (_, report) = try await OperationTests.verify(bench, on: CalendarDate(year: 2027, month: 2, day: 11)!)
                #expect(report.passed, "\(report.failures)")
            }
        }
    }
}
