import Testing
import Lifecycle

/// Zhejiang: window = the calendar month before expiry; any late endorsement restarts the count;
/// cancelled from E + 61. Issued 2025-03-15, so E = 2026-03-15 and the window is [2026-02-15, 2026-03-15].
@Suite struct ZhejiangRuleTests {
    let policy = Policies.zhejiang
    let issued = d("2025-03-15")

    func evaluate(_ events: [PermitEvent] = [], on date: String) throws -> Evaluation {
        try Lifecycle.evaluate(PermitHistory(issued: issued, events: events), policy: policy, on: d(date))
    }

    func outcome(endorsedOn date: String, after events: [PermitEvent] = []) throws -> EndorsementOutcome {
        let on = max(d(date), issued).description
        return try #require(try evaluate(events + [.endorsed(d(date))], on: on).endorsements.last).outcome
    }

    @Test(arguments: [
        ("2025-03-15", PermitStatus.inForce), ("2026-02-14", .inForce), ("2026-02-15", .windowOpen),
        ("2026-03-15", .windowOpen), ("2026-03-16", .suspended), ("2026-05-14", .suspended),  // E + 60
        ("2026-05-15", .cancelled), ("2030-01-01", .cancelled),                                 // E + 61
    ])
    func statusAroundEveryEdge(_ date: String, _ expected: PermitStatus) throws {
        #expect(try evaluate(on: date).status == expected)
    }

    @Test func windowAndExpiryOfTheFirstYear() throws {
        let e = try evaluate(on: "2025-06-01")
        #expect(e.expiry == d("2026-03-15"))
        #expect(e.windowOpens == d("2026-02-15"))
        #expect(e.windowCloses == d("2026-03-15"))
        #expect(e.residenceSince == issued)
        #expect(e.nextTransition == ScheduledTransition(on: d("2026-02-15"), to: .windowOpen))
        #expect(try evaluate(on: "2026-02-15").nextTransition == ScheduledTransition(on: d("2026-03-16"), to: .suspended))
        #expect(try evaluate(on: "2026-03-16").nextTransition == ScheduledTransition(on: d("2026-05-15"), to: .cancelled))
        let cancelled = try evaluate(on: "2026-05-15")
        #expect(cancelled.nextTransition == nil)
        #expect(cancelled.cancellation == Cancellation(on: d("2026-05-15"), reason: .overdue))
    }

    @Test(arguments: [
        ("2026-02-14", "refused", "windowNotOpen:2026-02-15"), ("2026-02-15", "timely", nil),
        ("2026-03-15", "timely", nil), ("2026-03-16", "lateReset", nil), ("2026-05-14", "lateReset", nil),
        ("2026-05-15", "refused", "cancelled:overdue"), ("2025-03-14", "refused", "beforeIssue"),
    ] as [(String, String, String?)])
    func endorsementAroundEveryEdge(_ date: String, _ expectedClass: String, _ reason: String?) throws {
        let result = try outcome(endorsedOn: date)
        #expect((result.endorsementClass?.rawValue ?? "refused") == expectedClass)
        #expect(result.refusal?.code == reason)
    }

    @Test func timelyEndorsementMovesExpiryOneYearFromTheAnchor() throws {
        let e = try evaluate([.endorsed(d("2026-02-20"))], on: "2026-02-20")
        #expect(e.status == .inForce)
        #expect(e.expiry == d("2027-03-15"))
        #expect(e.residenceSince == issued)
        #expect(e.windowOpens == d("2027-02-15"))
        #expect(e.nextTransition == ScheduledTransition(on: d("2027-02-15"), to: .windowOpen))
    }

    @Test func secondEndorsementInTheSameWindowIsRefusedWithTheNextOpeningDate() throws {
        let result = try outcome(endorsedOn: "2026-03-01", after: [.endorsed(d("2026-02-20"))])
        #expect(result == .refused(.windowNotOpen(opens: d("2027-02-15"))))
    }

    @Test(arguments: ["2026-03-16", "2026-04-30", "2026-05-14"])
    func lateEndorsementRestartsTheResidencePeriod(_ date: String) throws {
        let e = try evaluate([.endorsed(d(date))], on: date)
        #expect(e.endorsements.map(\.outcome) == [.lateReset])
        #expect(e.status == .inForce)
        #expect(e.residenceSince == d(date))
        #expect(e.expiry == d(date).adding(months: 12))
    }

    @Test func windowOfAMonthEndExpiryClampsBackwards() throws {
        // Issued 2025-03-31: E = 2026-03-31, E - 1 month = 2026-02-28.
        let h = PermitHistory(issued: d("2025-03-31"))
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2026-02-27")).status == .inForce)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2026-02-28")).status == .windowOpen)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2026-02-28")).windowOpens == d("2026-02-28"))
    }

    @Test func leapDayIssueExpiresOnTheLastDayOfFebruaryEachYear() throws {
        let issue = d("2024-02-29")
        let endorsed = ["2025-02-01", "2026-02-10", "2027-02-28"].map { PermitEvent.endorsed(d($0)) }
        let expiries = try (0...3).map { k in
            try Lifecycle.evaluate(PermitHistory(issued: issue, events: Array(endorsed.prefix(k))), policy: policy,
                                   on: d("2027-02-28")).expiry
        }
        #expect(expiries == ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"].map(d))
        // Windows: one calendar month before each expiry.
        let last = try Lifecycle.evaluate(PermitHistory(issued: issue, events: endorsed), policy: policy, on: d("2028-01-28"))
        #expect(last.windowOpens == d("2028-01-29"))
        #expect(last.status == .inForce)
        #expect(try Lifecycle.evaluate(PermitHistory(issued: issue), policy: policy, on: d("2025-01-27")).status == .inForce)
        #expect(try Lifecycle.evaluate(PermitHistory(issued: issue), policy: policy, on: d("2025-01-28")).status == .windowOpen)
    }

    @Test func officerCancellationTakesEffectThatDayAndIsFinal() throws {
        let events: [PermitEvent] = [.cancelled(d("2025-09-01"), .falseDocuments)]
        #expect(try evaluate(events, on: "2025-08-31").status == .inForce)
        let e = try evaluate(events, on: "2025-09-01")
        #expect(e.status == .cancelled)
        #expect(e.nextTransition == nil)
        #expect(e.cancellation == Cancellation(on: d("2025-09-01"), reason: .falseDocuments))
        let late = try outcome(endorsedOn: "2026-02-20", after: events)
        #expect(late == .refused(.cancelled(since: d("2025-09-01"), reason: .falseDocuments)))
    }

    @Test func sameDayEndorsementComesBeforeCancellation() throws {
        let e = try evaluate([.cancelled(d("2026-02-20"), .localHukou), .endorsed(d("2026-02-20"))], on: "2026-02-20")
        #expect(e.endorsements.map(\.outcome) == [.timely])
        #expect(e.status == .cancelled)
    }

    @Test func cancellationsTheRulesRefuse() throws {
        #expect(throws: LifecycleError.reasonNotForOfficers(.overdue)) {
            try evaluate([.cancelled(d("2025-09-01"), .overdue)], on: "2025-09-01")
        }
        #expect(throws: LifecycleError.self) {   // already cancelled automatically on 2026-05-15
            try evaluate([.cancelled(d("2026-06-01"), .otherLegalGround)], on: "2026-06-01")
        }
        #expect(throws: LifecycleError.self) {
            try evaluate([.cancelled(d("2025-09-01"), .localHukou), .cancelled(d("2025-10-01"), .falseDocuments)], on: "2025-10-01")
        }
        #expect(throws: LifecycleError.beforeIssue(date: d("2025-03-14"), issued: issued)) {
            try evaluate(on: "2025-03-14")
        }
    }

    @Test func endorsementsAfterTheDateAreClassifiedButDoNotChangeTheAnswer() throws {
        let e = try evaluate([.endorsed(d("2026-03-01"))], on: "2026-02-20")
        #expect(e.status == .windowOpen)
        #expect(e.expiry == d("2026-03-15"))
        #expect(e.endorsements.map(\.outcome) == [.timely])
    }
}
