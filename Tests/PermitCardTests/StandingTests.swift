import CardSecurity
import Lifecycle
@testable import PermitCard
import Testing

/// One model of a permit's standing: what a card's records say is the same `PermitState` the rules fold
/// the same history into (and the registry stores), never a parallel card-side model; and the card's
/// edges (E + 60/61 in Zhejiang, E + 31/32 in Inner Mongolia) are the rules' edges.
@Suite("A card reads as the rules' state of the same history")
struct StandingTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }
    static func pin(_ profile: String) -> String { profile == "inner-mongolia" ? "2468" : "123456" }

    /// Each history: the profile, the endorsements (kiosk, in order), an officer's cancellation, and the day read.
    /// Issued 2026-03-01: the first expiry E is 2027-03-01 in both regions.
    @Test(arguments: [
        ("zhejiang", ["2027-02-10"], nil, "2027-02-11"),                    // timely
        ("zhejiang", ["2027-03-10"], nil, "2027-03-11"),                    // late: residence restarts, the cycle stays
        ("zhejiang", ["2027-03-10", "2028-02-10"], nil, "2028-02-11"),      // late, then timely in the anniversary's window
        ("zhejiang", ["2027-04-30"], nil, "2027-05-01"),                    // E + 60: the last day a late endorsement is taken
        ("zhejiang", ["2027-02-10", "2028-02-10"], nil, "2028-02-11"),      // two timely
        ("inner-mongolia", ["2027-03-20"], nil, "2027-03-21"),              // late within the grace
        ("inner-mongolia", ["2027-04-01"], nil, "2027-04-02"),              // E + 31: the grace's last day
        ("inner-mongolia", ["2027-04-02"], nil, "2027-04-03"),              // E + 32: beyond the grace, the cycle restarts
        ("zhejiang", ["2027-02-10"], "2027-06-01", "2027-06-02"),           // cancelled by an officer
    ] as [(String, [String], String?, String)])
    func cardAndRulesAgree(profile: String, endorsed: [String], cancelled: String?, on date: String) async throws {
        let issued = try await IssuedCards.shared.state(profile: profile, pin: Self.pin(profile))
        try await withPermitCard(profile: profile, state: issued) { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            var records: [EndorsementRecord] = []
            for day in endorsed {
                records.append(try await kiosk.with(clock: .test(day: Self.day(day))).endorse(pin: profile == "inner-mongolia" ? Self.pin(profile) : nil))
            }
            var events = endorsed.map { PermitEvent.endorsed(Self.day($0)) }
            if let cancelled {
                let desk = try await bench.permitCard(Fixture.issuingStation())
                _ = try await desk.with(clock: .test(day: Self.day(cancelled))).cancel(reason: .localHukou)
                events.append(.cancelled(Self.day(cancelled), .localHukou))
            }
            let policy = bench.profile.policy
            let rules = try Lifecycle.evaluate(PermitHistory(issued: Fixture.issueDay, events: events), policy: policy, on: Self.day(date))
            #expect(records.map(\.endorsementClass) == rules.endorsements.compactMap(\.outcome.endorsementClass))
            let verifier = try await bench.permitCard(Fixture.verifier(on: Self.day(date)))
            let (reading, report) = try await verifier.with(clock: .test(day: Self.day(date))).verify()
            #expect(try reading.permitState(policy: policy) == rules.state)
            #expect(try await verifier.status().permit == rules.state)
            if cancelled == nil {
                #expect(rules.status == .inForce)
                #expect(report.passed, "\(report.failures)")
            } else {
                #expect(rules.status == .cancelled)
                #expect(report.failures.map(\.check) == [.status])
            }
        }
    }

    @Test("Zhejiang: a late endorsement keeps the issue anniversary, so the next timely one is in the anniversary's window")
    func lateThenTimelyOnTheAnniversary() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPermitCard(profile: "zhejiang", state: issued) { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let late = try await kiosk.with(clock: .test(day: Self.day("2027-03-10"))).endorse()
            #expect((late.endorsementClass, late.anchor, late.expiry) == (.lateReset, Self.day("2027-03-10"), Self.day("2028-03-01")))
            // Not a year after the late endorsement: the window before the issue anniversary 2028-03-01 opens on 2028-02-01.
            await #expect(throws: PermitCardError.endorsementRefused(.windowNotOpen(opens: Self.day("2028-02-01")), on: Self.day("2028-01-31"))) {
                try await kiosk.with(clock: .test(day: Self.day("2028-01-31"))).endorse()
            }
            let timely = try await kiosk.with(clock: .test(day: Self.day("2028-02-01"))).endorse()
            #expect((timely.endorsementClass, timely.anchor, timely.expiry) == (.timely, Self.day("2027-03-10"), Self.day("2029-03-01")))
        }
    }

    @Test("Zhejiang: E + 60 is suspended and endorsable late; from E + 61 the card is due for cancellation, refused, and verifies as not in force")
    func dueForCancellationOnTheCard() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPermitCard(profile: "zhejiang", state: issued) { bench in
            let verifier = try await bench.permitCard(Fixture.verifier(on: Self.day("2027-04-30")))
            var (_, report) = try await verifier.with(clock: .test(day: Self.day("2027-04-30"))).verify()
            #expect(report.failures.map(\.check) == [.dates])
            #expect(report.failures.first?.reason == "expired on 2027-03-01: not endorsed, suspended since 2027-03-02 (today 2027-04-30)")
            (_, report) = try await verifier.with(clock: .test(day: Self.day("2027-05-01"))).verify()
            #expect(report.failures.map(\.check) == [.dates])
            #expect(report.failures.first?.reason == "expired on 2027-03-01 and overdue beyond the region's limit: not in force, due for cancellation since 2027-05-01")
            #expect(throws: PermitCardError.notValid(check: "dates", reason: report.failures.first?.reason ?? "")) { try report.requireValid() }

            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let before = bench.card.state
            await #expect(throws: PermitCardError.endorsementRefused(.cancellationDue(since: Self.day("2027-05-01")), on: Self.day("2027-05-01"))) {
                try await kiosk.with(clock: .test(day: Self.day("2027-05-01"))).endorse()
            }
            #expect(bench.card.state == before)
            // The officer's determination (reason overdue) is what cancels it; the card records it.
            let desk = try await bench.permitCard(Fixture.issuingStation())
            let record = try await desk.with(clock: .test(day: Self.day("2027-05-03"))).cancel(reason: .overdue)
            #expect(record.change == .cancelled(.overdue))
            let status = try await verifier.status()
            #expect(status.permit.cancellation == Cancellation(on: Self.day("2027-05-03"), reason: .overdue))
            #expect(status.status.recorded == .cancelled)
        }
    }

    @Test("an overdue suspension lifted by a late endorsement reads as in force; an officer's suspension does not")
    func liftedSuspension() throws {
        let signer = Fixture.authority.issuingStation
        let suspended = try StatusRecord(sequence: 2, change: .suspendedOverdue, effective: Self.day("2027-03-02"), station: Fixture.station, serial: Fixture.serial(1), signer: signer)
        let late = try EndorsementRecord(number: 1, endorsementClass: .lateReset, statusSequence: 2, endorsedOn: Self.day("2027-03-10"),
                                         anchor: Self.day("2027-03-10"), expiry: Self.day("2028-03-01"), station: Fixture.station, serial: Fixture.serial(1), signer: signer)
        let earlier = try EndorsementRecord(number: 1, endorsementClass: .timely, statusSequence: 1, endorsedOn: Self.day("2027-02-10"),
                                            anchor: Fixture.issueDay, expiry: Self.day("2028-03-01"), station: Fixture.station, serial: Fixture.serial(1), signer: signer)
        #expect(CardStatus(newest: suspended, newestEndorsement: late).recorded == .inForce)
        #expect(CardStatus(newest: suspended, newestEndorsement: earlier).recorded == .suspended)
        #expect(CardStatus(newest: suspended, newestEndorsement: nil).recorded == .suspended)
        let byOfficer = try StatusRecord(sequence: 2, change: .suspendedByOfficer, effective: Self.day("2027-03-02"), station: Fixture.station, serial: Fixture.serial(1), signer: signer)
        #expect(CardStatus(newest: byOfficer, newestEndorsement: late).recorded == .suspended)
        #expect(CardStatus(newest: suspended, newestEndorsement: late).sequence == 2)
    }
}
