import Testing
import Lifecycle

/// Inner Mongolia: window = the 30 days before expiry; late within 30 days keeps continuity,
/// later restarts the count; no automatic cancellation. Issued 2025-03-15, E = 2026-03-15,
/// window [2026-02-13, 2026-03-15].
@Suite struct InnerMongoliaRuleTests {
    let policy = Policies.innerMongolia
    let issued = d("2025-03-15")

    func evaluate(_ events: [PermitEvent] = [], on date: String) throws -> Evaluation {
        try Lifecycle.evaluate(PermitHistory(issued: issued, events: events), policy: policy, on: d(date))
    }

    @Test(arguments: [
        ("2026-02-12", PermitStatus.inForce), ("2026-02-13", .windowOpen), ("2026-03-15", .windowOpen),
        ("2026-03-16", .suspended), ("2026-04-14", .suspended), ("2026-04-15", .suspended), ("2036-01-01", .suspended),
    ])
    func statusAroundEveryEdge(_ date: String, _ expected: PermitStatus) throws {
        #expect(try evaluate(on: date).status == expected)
    }

    @Test func suspendedPermitHasNoScheduledTransition() throws {
        #expect(try evaluate(on: "2026-03-16").nextTransition == nil)
        #expect(try evaluate(on: "2026-02-13").nextTransition == ScheduledTransition(on: d("2026-03-16"), to: .suspended))
        #expect(try evaluate(on: "2025-03-15").windowOpens == d("2026-02-13"))
    }

    @Test(arguments: [
        ("2026-02-12", "refused", "2027-03-15", "2025-03-15"),   // the day before the window: refused, nothing moves
        ("2026-02-13", "timely", "2027-03-15", "2025-03-15"),
        ("2026-03-15", "timely", "2027-03-15", "2025-03-15"),
        ("2026-03-16", "lateContinuous", "2027-03-15", "2025-03-15"),  // E + 1
        ("2026-04-14", "lateContinuous", "2027-03-15", "2025-03-15"),  // E + 30
        ("2026-04-15", "lateReset", "2027-04-15", "2026-04-15"),       // E + 31
        ("2027-01-10", "lateReset", "2028-01-10", "2027-01-10"),
    ])
    func endorsementAroundEveryEdge(_ date: String, _ expectedClass: String, _ expiry: String, _ anchor: String) throws {
        let e = try evaluate([.endorsed(d(date))], on: date)
        #expect(e.endorsements.map { $0.outcome.endorsementClass?.rawValue ?? "refused" } == [expectedClass])
        if expectedClass == "refused" {
            #expect(e.endorsements.first?.outcome.refusal?.code == "windowNotOpen:2026-02-13")
            #expect(e.expiry == d("2026-03-15"))
        } else {
            #expect(e.expiry == d(expiry))
            #expect(e.status == .inForce)
        }
        #expect(e.residenceSince == (expectedClass == "refused" ? issued : d(anchor)))
    }

    @Test func leapYearWindowCountsThirtyDaysBack() throws {
        // Issued 2027-02-28: E = 2028-02-28, window from 2028-01-29; after a timely endorsement E = 2029-02-28.
        let h = PermitHistory(issued: d("2027-02-28"))
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2028-01-28")).status == .inForce)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2028-01-29")).status == .windowOpen)
        // Issued on a leap day: E = 2025-02-28, window from 2025-01-29; continuity through 2025-03-30.
        let leap = PermitHistory(issued: d("2024-02-29"), events: [.endorsed(d("2025-03-30")), .endorsed(d("2026-02-20"))])
        let e = try Lifecycle.evaluate(leap, policy: policy, on: d("2026-02-20"))
        #expect(e.endorsements.map(\.outcome) == [.lateContinuous, .timely])
        #expect(e.expiry == d("2027-02-28"))
        #expect(e.residenceSince == d("2024-02-29"))
        let reset = try Lifecycle.evaluate(PermitHistory(issued: d("2024-02-29"), events: [.endorsed(d("2025-03-31"))]),
                                           policy: policy, on: d("2025-03-31"))
        #expect(reset.endorsements.map(\.outcome) == [.lateReset])
    }

    @Test func lateContinuousEndorsementLeavesTheNextWindowClosed() throws {
        let events: [PermitEvent] = [.endorsed(d("2026-04-01")), .endorsed(d("2026-04-02"))]
        let e = try evaluate(events, on: "2026-04-02")
        #expect(e.endorsements.map(\.outcome) == [.lateContinuous, .refused(.windowNotOpen(opens: d("2027-02-13")))])
    }

    @Test(arguments: CancellationReason.officerReasons)
    func officerCancellationWithEachReason(_ reason: CancellationReason) throws {
        let e = try evaluate([.cancelled(d("2026-03-20"), reason)], on: "2026-03-20")
        #expect(e.status == .cancelled)
        #expect(e.cancellation?.reason == reason)
        #expect(try evaluate([.cancelled(d("2026-03-20"), reason)], on: "2026-03-19").status == .suspended)
    }
}
