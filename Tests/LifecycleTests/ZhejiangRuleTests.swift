import Testing
import Lifecycle

/// Zhejiang (seed 000): the window is the calendar month before each anniversary of the issue date, for good; a
/// late endorsement restarts the residence years but not the cycle; from E + 61 the permit is due for cancellation,
/// cancelled only by an officer. Issued 2025-03-15, so E = 2026-03-15 and the window is [2026-02-15, 2026-03-15].
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
        ("2026-03-15", .windowOpen), ("2026-03-16", .suspended), ("2026-05-14", .suspended),   // E + 1, E + 60
        ("2026-05-15", .cancellationDue), ("2030-01-01", .cancellationDue),                     // E + 61: never cancelled by the calendar
    ])
    func statusOnEachSideOfEveryEdgeIsTheSeedsOne(_ date: String, _ expected: PermitStatus) throws {
        #expect(try evaluate(on: date).status == expected)
    }

    @Test func scheduledTransitionsStopAtCancellationDue() throws {
        let e = try evaluate(on: "2025-06-01")
        #expect(e.expiry == d("2026-03-15"))
        #expect(e.windowOpens == d("2026-02-15"))
        #expect(e.windowCloses == d("2026-03-15"))
        #expect(e.residenceSince == issued)
        #expect(e.cancellationDueFrom == d("2026-05-15"))
        #expect(e.graceEnds == nil)
        #expect(e.nextTransition == ScheduledTransition(on: d("2026-02-15"), to: .windowOpen))
        #expect(try evaluate(on: "2026-02-15").nextTransition == ScheduledTransition(on: d("2026-03-16"), to: .suspended))
        #expect(try evaluate(on: "2026-03-16").nextTransition == ScheduledTransition(on: d("2026-05-15"), to: .cancellationDue))
        let due = try evaluate(on: "2026-05-15")
        #expect(due.nextTransition == nil)
        #expect(due.cancellation == nil)
    }

    @Test(arguments: [
        ("2026-02-14", "refused", "windowNotOpen:2026-02-15"), ("2026-02-15", "timely", nil),
        ("2026-03-15", "timely", nil), ("2026-03-16", "lateReset", nil), ("2026-05-14", "lateReset", nil),
        ("2026-05-15", "refused", "cancellationDue:2026-05-15"), ("2025-03-14", "refused", "beforeIssue"),
    ] as [(String, String, String?)])
    func endorsementOnEachSideOfEveryEdgeGetsTheSeedsClass(_ date: String, _ expectedClass: String, _ reason: String?) throws {
        let result = try outcome(endorsedOn: date)
        #expect((result.endorsementClass?.rawValue ?? "refused") == expectedClass)
        #expect(result.refusal?.code == reason)
    }

    @Test func timelyEndorsementMovesTheExpiryToTheNextIssueAnniversary() throws {
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
    func lateEndorsementRestartsResidenceYearsButKeepsTheIssueAnniversary(_ date: String) throws {
        let e = try evaluate([.endorsed(d(date))], on: date)
        #expect(e.endorsements.map(\.outcome) == [.lateReset])
        #expect(e.status == .inForce)
        #expect(e.residenceSince == d(date))
        #expect(e.expiry == d("2027-03-15"))
        #expect(e.windowOpens == d("2027-02-15"))
    }

    @Test func afterALateEndorsementTheNextTimelyWindowIsTheMonthBeforeTheIssueAnniversary() throws {
        let late = PermitEvent.endorsed(d("2026-04-01"))
        #expect(try evaluate([late], on: "2027-02-14").status == .inForce)
        #expect(try evaluate([late], on: "2027-02-15").status == .windowOpen)
        #expect(try outcome(endorsedOn: "2027-02-14", after: [late]) == .refused(.windowNotOpen(opens: d("2027-02-15"))))
        let e = try evaluate([late, .endorsed(d("2027-02-15"))], on: "2027-02-15")
        #expect(e.endorsements.map(\.outcome) == [.lateReset, .timely])
        #expect(e.expiry == d("2028-03-15"))
        #expect(e.residenceSince == d("2026-04-01"))   // a timely endorsement keeps the restarted count
        // Missing that window: suspended from the anniversary's next day, due for cancellation from E + 61.
        #expect(try evaluate([late], on: "2027-03-16").status == .suspended)
        #expect(try evaluate([late], on: "2027-05-14").status == .suspended)
        #expect(try evaluate([late], on: "2027-05-15").status == .cancellationDue)
    }

    @Test func windowOfAMonthEndExpiryClampsBackwards() throws {
        // Issued 2025-03-31: E = 2026-03-31, E - 1 month = 2026-02-28.
        let h = PermitHistory(issued: d("2025-03-31"))
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2026-02-27")).status == .inForce)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2026-02-28")).status == .windowOpen)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2026-02-28")).windowOpens == d("2026-02-28"))
    }

    @Test func leapDayIssueExpiresOnTheLastDayOfFebruaryEachYearEvenAfterALateEndorsement() throws {
        let issue = d("2024-02-29")
        let endorsed = ["2025-03-10", "2026-02-10", "2027-02-28"].map { PermitEvent.endorsed(d($0)) }
        let expiries = try (0...3).map { k in
            try Lifecycle.evaluate(PermitHistory(issued: issue, events: Array(endorsed.prefix(k))), policy: policy,
                                   on: d("2027-02-28")).expiry
        }
        #expect(expiries == ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"].map(d))
        let all = try Lifecycle.evaluate(PermitHistory(issued: issue, events: endorsed), policy: policy, on: d("2028-01-28"))
        #expect(all.endorsements.map(\.outcome) == [.lateReset, .timely, .timely])
        #expect(all.residenceSince == d("2025-03-10"))
        #expect(all.windowOpens == d("2028-01-29"))
        #expect(try Lifecycle.evaluate(PermitHistory(issued: issue), policy: policy, on: d("2025-01-27")).status == .inForce)
        #expect(try Lifecycle.evaluate(PermitHistory(issued: issue), policy: policy, on: d("2025-01-28")).status == .windowOpen)
    }

    @Test func overdueLimitCountsThroughALeapFebruary() throws {
        // Issued 2023-02-28: E = 2024-02-28; E + 60 = 2024-04-28 (29 February counts), E + 61 = 2024-04-29.
        let h = PermitHistory(issued: d("2023-02-28"))
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2024-04-28")).status == .suspended)
        #expect(try Lifecycle.evaluate(h, policy: policy, on: d("2024-04-29")).status == .cancellationDue)
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

    @Test func overdueCancellationIsRefusedBeforeEPlus61AndAcceptedFromIt() throws {
        #expect(throws: LifecycleError.overdueCancellationNotDue(on: d("2026-05-14"), dueFrom: d("2026-05-15"))) {
            try evaluate([.cancelled(d("2026-05-14"), .overdue)], on: "2026-05-14")
        }
        #expect(throws: LifecycleError.overdueCancellationNotDue(on: d("2025-09-01"), dueFrom: d("2026-05-15"))) {
            try evaluate([.cancelled(d("2025-09-01"), .overdue)], on: "2025-09-01")
        }
        let e = try evaluate([.cancelled(d("2026-05-15"), .overdue)], on: "2026-05-15")
        #expect(e.status == .cancelled)
        #expect(e.cancellation == Cancellation(on: d("2026-05-15"), reason: .overdue))
        #expect(try evaluate([.cancelled(d("2026-06-01"), .overdue)], on: "2026-05-31").status == .cancellationDue)
    }

    @Test func permitDueForCancellationMayBeCancelledOnAnyGround() throws {
        let e = try evaluate([.cancelled(d("2026-06-01"), .localHukou)], on: "2026-06-01")
        #expect(e.status == .cancelled)
        #expect(e.cancellation?.reason == .localHukou)
    }

    @Test func sameDayEndorsementComesBeforeCancellation() throws {
        let e = try evaluate([.cancelled(d("2026-02-20"), .localHukou), .endorsed(d("2026-02-20"))], on: "2026-02-20")
        #expect(e.endorsements.map(\.outcome) == [.timely])
        #expect(e.status == .cancelled)
    }

    @Test func secondCancellationAndQuestionsBeforeIssueAreRefused() throws {
        #expect(throws: LifecycleError.cancellationRefused(on: d("2025-10-01"), reason: "the permit is already cancelled since 2025-09-01 (localHukou)")) {
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
