import CardSecurity
import Lifecycle
import PermitCard
import Testing

/// Issue 18 item 6: a verifier relies on a status list only while it is fresh (the profile's maximum age,
/// shown in every report), never goes back to an older list, and orders the list's entries and the card's
/// records by status sequence, never by date.
@Suite("Status list freshness and order")
struct StatusFreshnessTests {
    static let day = OperationTests.day

    @Test("through pcscd: a list older than the profile's 7 days fails the status-list check alone, and every report shows the list's age and the maximum")
    func staleList() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let list = Fixture.statusList(sequence: 3, issuedOn: Self.day(2026, 5, 22))
            let verifier = try await bench.permitCard(Fixture.verifier(statusList: list))

            let (_, fresh) = try await verifier.with(clock: .test(day: Self.day(2026, 5, 29))).verify()
            #expect(fresh.passed, "\(fresh.failures)")
            #expect(fresh.statusList?.description == "status list 3 of 2026-05-22, 7 days old (at most 7)")

            let (_, stale) = try await verifier.with(clock: .test(day: Self.day(2026, 6, 1))).verify()
            #expect(stale.failures.map(\.check) == [.statusList])
            #expect(stale[.statusList] == .failed(reason: "status list 3 of 2026-05-22, 10 days old (at most 7): too old to rely on; load the current status list"))
            #expect(stale.statusList?.ageDays == 10 && stale.statusList?.maxAgeDays == 7)

            var patient = Fixture.verifier(statusList: list)
            patient.statusListMaxAgeDays = 14
            let (_, configured) = try await bench.permitCard(patient).with(clock: .test(day: Self.day(2026, 6, 1))).verify()
            #expect(configured.passed, "a terminal's own maximum replaces the profile's: \(configured.failures)")
            #expect(configured.statusList?.description == "status list 3 of 2026-05-22, 10 days old (at most 14)")
        }
    }

    @Test("a terminal never loads a status list older than one it carries or has seen")
    func lowerSequenceRefused() throws {
        var terminal = Fixture.verifier(statusList: Fixture.statusList(sequence: 5))
        #expect(terminal.statusListSeen == 5)
        #expect(throws: PermitCardError.staleStatusList(sequence: 4, seen: 5)) {
            try terminal.load(statusList: Fixture.statusList(sequence: 4))
        }
        #expect(terminal.statusList?.content.sequence == 5, "the carried list is kept")
        try terminal.load(statusList: Fixture.statusList(sequence: 6))
        #expect(terminal.statusListSeen == 6)

        var restarted = Fixture.verifier(statusList: nil)
        #expect(throws: PermitCardError.staleStatusList(sequence: 6, seen: 9)) {
            try restarted.load(statusList: Fixture.statusList(sequence: 6), seen: 9)
        }
        #expect(restarted.statusList == nil)
        #expect(PermitCardError.staleStatusList(sequence: 6, seen: 9).description
            == "Status list 6 is older than status list 9, which this terminal has already seen; it was not loaded. Load the current status list.")
    }

    @Test("the list and the card are ordered by status sequence: a restore on the card beats a listed suspension before it, a listed suspension after the card's record wins whatever its date, a listed cancellation always wins")
    func orderedByStatusSequence() async throws {
        try await OperationTests.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            #expect(try await desk.with(clock: .test(day: Self.day(2026, 5, 1))).suspend().sequence == 2)
            #expect(try await desk.with(clock: .test(day: Self.day(2026, 5, 10))).restore().sequence == 3)
            let on = Self.day(2026, 6, 1)
            func listing(_ status: UInt8, _ reason: UInt8, from effective: CalendarDate, at sequence: UInt16) throws -> [StatusList.Entry] {
                [try StatusList.Entry(serial: Fixture.serial(1), status: status, reason: reason, effective: effective, statusSequence: sequence)]
            }

            var (_, report) = try await OperationTests.verify(bench, on: on, listing: try listing(2, 0x11, from: Self.day(2026, 5, 1), at: 2))
            #expect(report.passed, "the card's restore (sequence 3) came after the listed suspension (2): \(report.failures)")

            // Dated before the card's restore, but a later change the card never received (status sequence 4).
            (_, report) = try await OperationTests.verify(bench, on: on, listing: try listing(2, 0x11, from: Self.day(2026, 5, 5), at: 4))
            #expect(report.failures.map(\.check) == [.statusList])
            #expect(report[.statusList]?.description.contains("suspended") == true, "\(report.failures)")

            // Protocol v1 let the card's later-dated restore override a listed cancellation.
            (_, report) = try await OperationTests.verify(bench, on: on, listing: try listing(3, 0x20, from: Self.day(2026, 5, 2), at: 2))
            #expect(report.failures.map(\.check) == [.statusList])
            #expect(report[.statusList]?.description.contains("cancelled (reason 20, status sequence 2) from 2026-05-02") == true, "\(report.failures)")
        }
    }
}
