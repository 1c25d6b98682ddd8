import Testing
import Lifecycle
import RulesOracle

@Suite struct TransitionTests {
    /// The whitelist of docs/RULES.md ("Allowed transitions"), as the independent oracle writes it.
    static let rulesMoves: Set<StatusTransition> = Set(RulesOracle.allowedMoves.map { move in
        let parts = move.split(whereSeparator: { ">:".contains($0) }).map(String.init)
        return StatusTransition(from: PermitStatus(rawValue: parts[0])!, to: PermitStatus(rawValue: parts[1])!,
                                trigger: TransitionTrigger(rawValue: parts[2])!)
    })

    @Test func whitelistIsExactlyTheRuleMoves() {
        #expect(StatusTransition.allowed == Self.rulesMoves)
    }

    /// Every (from, to, trigger) triple: `check` accepts exactly the rule moves and refuses every other one.
    @Test(arguments: PermitStatus.allCases, PermitStatus.allCases)
    func checkAcceptsExactlyTheRuleMovesBetween(_ from: PermitStatus, _ to: PermitStatus) {
        for trigger in TransitionTrigger.allCases {
            let move = StatusTransition(from: from, to: to, trigger: trigger)
            if Self.rulesMoves.contains(move) {
                #expect(throws: Never.self, "\(move)") { try StatusTransition.check(from: from, to: to, by: trigger) }
            } else {
                #expect(throws: LifecycleError.transitionNotAllowed(from: from, to: to, trigger: trigger), "\(move)") {
                    try StatusTransition.check(from: from, to: to, by: trigger)
                }
            }
        }
    }

    @Test func noMoveLeavesCancelledAndOnlyAnOfficerLeavesCancellationDue() {
        #expect(!StatusTransition.allowed.contains { $0.from == .cancelled })
        #expect(StatusTransition.allowed.filter { $0.from == .cancellationDue }.map(\.trigger) == [.officerCancellation])
        #expect(!StatusTransition.allowed.contains { $0.to == .cancelled && $0.trigger != .officerCancellation })
    }
}

@Suite struct PolicyTests {
    @Test func seedPoliciesHaveNoProblems() {
        #expect(Policies.zhejiang.problems.isEmpty)
        #expect(Policies.innerMongolia.problems.isEmpty)
    }

    @Test func brokenPoliciesNameTheField() {
        var p = Policies.innerMongolia
        p.validityMonths = 0
        p.continuityGrace = Period(-1, .days)
        p.endorsementWindow = Period(2, .workingDays)
        p.timeZone = "Shanghai time"
        p.holidayCalendar = "../etc"
        let paths = Set(p.problems.map(\.path))
        #expect(paths == ["policy.validityMonths", "policy.continuityGrace.count", "policy.endorsementWindow.unit", "policy.timeZone",
                          "policy.holidayCalendar"])
        var tooLong = Policies.innerMongolia
        tooLong.endorsementWindow = Period(11, .months)
        #expect(tooLong.problems.map(\.path) == ["policy.endorsementWindow"])
    }

    @Test func issueAnniversaryCycleNeedsAnOverdueLimitShortEnoughForTheNextWindow() {
        var noLimit = Policies.zhejiang
        noLimit.cancellationDueAfterOverdueDays = nil
        #expect(noLimit.problems.map(\.path) == ["policy.cancellationDueAfterOverdueDays"])
        var tooLate = Policies.zhejiang
        tooLate.cancellationDueAfterOverdueDays = 320   // 320 + 31 days of window reach the next anniversary's window
        #expect(tooLate.problems.map(\.path) == ["policy.cancellationDueAfterOverdueDays"])
    }

    @Test func overdueLimitInsideTheContinuityGraceIsAProblem() {
        var p = Policies.innerMongolia
        p.cancellationDueAfterOverdueDays = 30   // the grace runs through E + 31
        #expect(p.problems.map(\.path) == ["policy.cancellationDueAfterOverdueDays"])
        p.cancellationDueAfterOverdueDays = 31
        #expect(p.problems.isEmpty)
    }

    @Test func periodsAreCountedAsTheConventionSays() throws {
        var p = Policies.innerMongolia
        #expect(try p.lastDay(of: Period(30, .days), from: d("2026-03-16")) == d("2026-04-15"))
        #expect(try p.lastDay(of: Period(1, .months), from: d("2026-01-31")) == d("2026-02-28"))
        p.periodCounting = .startDayIncluded
        #expect(try p.lastDay(of: Period(30, .days), from: d("2026-03-16")) == d("2026-04-14"))
        #expect(try p.lastDay(of: Period(1, .months), from: d("2026-01-15")) == d("2026-02-14"))
        // Included start on a working day counts it as the first; on a day off the count starts the next working day.
        #expect(try p.lastDay(of: Period(1, .workingDays), from: d("2026-03-16")) == d("2026-03-16"))
        #expect(try p.lastDay(of: Period(1, .workingDays), from: d("2026-03-15")) == d("2026-03-16"))
    }
}
