import Testing
import Lifecycle

/// Inner Mongolia (seed 003): window = the 30 days before expiry; a late endorsement within 30 days from the day of
/// suspension (E + 1, not counted) keeps the residence period continuous, so through E + 31; from E + 32 it restarts,
/// and so does the validity; nothing is cancelled by the calendar. Issued 2025-03-15, E = 2026-03-15,
/// window [2026-02-13, 2026-03-15], suspended from 2026-03-16, grace through 2026-04-15.
@Suite struct InnerMongoliaRuleTests {
    let policy = Policies.innerMongolia
    let issued = d("2025-03-15")

    func evaluate(_ events: [PermitEvent] = [], on date: String) throws -> Evaluation {
        try Lifecycle.evaluate(PermitHistory(issued: issued, events: events), policy: policy, on: d(date))
    }

    @Test(arguments: [
        ("2026-02-12", PermitStatus.inForce), ("2026-02-13", .windowOpen), ("2026-03-15", .windowOpen),
        ("2026-03-16", .suspended), ("2026-04-15", .suspended), ("2026-04-16", .suspended), ("2036-01-01", .suspended),
    ])
    func statusOnEachSideOfEveryEdgeIsTheSeedsOne(_ date: String, _ expected: PermitStatus) throws {
        #expect(try evaluate(on: date).status == expected)
    }

    @Test func suspendedPermitHasNoScheduledTransitionAndTheGraceEndsOnEPlus31() throws {
        #expect(try evaluate(on: "2026-03-16").nextTransition == nil)
        #expect(try evaluate(on: "2026-02-13").nextTransition == ScheduledTransition(on: d("2026-03-16"), to: .suspended))
        let e = try evaluate(on: "2025-03-15")
        #expect(e.windowOpens == d("2026-02-13"))
        #expect(e.graceEnds == d("2026-04-15"))
        #expect(e.cancellationDueFrom == nil)
    }

    @Test(arguments: [
        ("2026-02-12", "refused", "2026-03-15", "2025-03-15"),   // the day before the window: refused, nothing moves
        ("2026-02-13", "timely", "2027-03-15", "2025-03-15"),
        ("2026-03-15", "timely", "2027-03-15", "2025-03-15"),
        ("2026-03-16", "lateContinuous", "2027-03-15", "2025-03-15"),  // E + 1, the day of suspension
        ("2026-04-14", "lateContinuous", "2027-03-15", "2025-03-15"),  // E + 30
        ("2026-04-15", "lateContinuous", "2027-03-15", "2025-03-15"),  // E + 31: the 30th day after the day of suspension
        ("2026-04-16", "lateReset", "2027-04-16", "2026-04-16"),       // E + 32: residence and validity restart
        ("2027-01-10", "lateReset", "2028-01-10", "2027-01-10"),
    ])
    func endorsementOnEachSideOfEveryEdgeGetsTheSeedsClass(_ date: String, _ expectedClass: String, _ expiry: String, _ residence: String) throws {
        let e = try evaluate([.endorsed(d(date))], on: date)
        #expect(e.endorsements.map { $0.outcome.endorsementClass?.rawValue ?? "refused" } == [expectedClass])
        if expectedClass == "refused" {
            #expect(e.endorsements.first?.outcome.refusal?.code == "windowNotOpen:2026-02-13")
        } else {
            #expect(e.status == .inForce)
        }
        #expect(e.expiry == d(expiry))
        #expect(e.residenceSince == d(residence))
    }

    @Test func leapYearWindowCountsThirtyDaysBackAndTheGraceThirtyOnFromSuspension() throws {
        // Issued 2027-02-28: E = 2028-02-28, window from 2028-01-29.
        let h = PermitHistory(issued: d("2027-02-28"))
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2028-01-28")).status == .inForce)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2028-01-29")).status == .windowOpen)
        // Issued on a leap day: E = 2025-02-28, suspended from 2025-03-01, continuity through 2025-03-31.
        let leap = PermitHistory(issued: d("2024-02-29"), events: [.endorsed(d("2025-03-31")), .endorsed(d("2026-02-20"))])
        let e = try Lifecycle.evaluate(leap, policy: policy, on: d("2026-02-20"))
        #expect(e.endorsements.map(\.outcome) == [.lateContinuous, .timely])
        #expect(e.expiry == d("2027-02-28"))
        #expect(e.residenceSince == d("2024-02-29"))
        let reset = try Lifecycle.evaluate(PermitHistory(issued: d("2024-02-29"), events: [.endorsed(d("2025-04-01"))]),
                                           policy: policy, on: d("2025-04-01"))
        #expect(reset.endorsements.map(\.outcome) == [.lateReset])
        #expect(reset.expiry == d("2026-04-01"))
    }

    @Test func lateContinuousEndorsementLeavesTheNextWindowClosed() throws {
        let events: [PermitEvent] = [.endorsed(d("2026-04-01")), .endorsed(d("2026-04-02"))]
        let e = try evaluate(events, on: "2026-04-02")
        #expect(e.endorsements.map(\.outcome) == [.lateContinuous, .refused(.windowNotOpen(opens: d("2027-02-13")))])
    }

    @Test func afterAResetTheCycleRunsFromTheDayOfRestoration() throws {
        let events: [PermitEvent] = [.endorsed(d("2026-04-16")), .endorsed(d("2027-03-20"))]
        let e = try evaluate(events, on: "2027-03-20")
        #expect(e.endorsements.map(\.outcome) == [.lateReset, .timely])   // window [2027-03-17, 2027-04-16]
        #expect(e.expiry == d("2028-04-16"))
        #expect(e.residenceSince == d("2026-04-16"))
    }

    @Test(arguments: [CancellationReason.falseDocuments, .lossOfEligibility, .localHukou, .otherLegalGround])
    func officerCancellationWithEachReasonTakesEffectThatDay(_ reason: CancellationReason) throws {
        let e = try evaluate([.cancelled(d("2026-03-20"), reason)], on: "2026-03-20")
        #expect(e.status == .cancelled)
        #expect(e.cancellation?.reason == reason)
        #expect(try evaluate([.cancelled(d("2026-03-20"), reason)], on: "2026-03-19").status == .suspended)
    }

    @Test func overdueIsNeverAGroundInARegionWithoutTheLimit() throws {
        #expect(throws: LifecycleError.overdueCancellationNotDue(on: d("2030-01-01"), dueFrom: nil)) {
            try evaluate([.cancelled(d("2030-01-01"), .overdue)], on: "2030-01-01")
        }
    }
}
