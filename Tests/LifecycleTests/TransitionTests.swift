import Testing
import Lifecycle

@Suite struct TransitionTests {
    @Test func whitelistIsExactlyTheRuleMoves() {
        #expect(StatusTransition.allowed.count == 8)
        #expect(!StatusTransition.allowed.contains { $0.from == .cancelled })
        #expect(!StatusTransition.allowed.contains { $0.from == $0.to })
    }

    @Test(arguments: PermitStatus.allCases, TransitionTrigger.allCases)
    func nothingLeavesCancelled(_ to: PermitStatus, _ trigger: TransitionTrigger) {
        #expect(throws: LifecycleError.transitionNotAllowed(from: .cancelled, to: to, trigger: trigger)) {
            try StatusTransition.check(from: .cancelled, to: to, by: trigger)
        }
    }

    @Test func movesOutsideTheWhitelistAreRefused() throws {
        try StatusTransition.check(from: .windowOpen, to: .suspended, by: .expired)
        #expect(throws: LifecycleError.self) { try StatusTransition.check(from: .inForce, to: .suspended, by: .expired) }
        #expect(throws: LifecycleError.self) { try StatusTransition.check(from: .suspended, to: .inForce, by: .windowOpened) }
        #expect(throws: LifecycleError.self) { try StatusTransition.check(from: .inForce, to: .cancelled, by: .overdue) }
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
        p.continuityGraceDays = -1
        p.endorsementWindow = Period(2, .workingDays)
        p.timeZone = "Shanghai time"
        let paths = Set(p.problems.map(\.path))
        #expect(paths.isSuperset(of: ["policy.validityMonths", "policy.continuityGraceDays", "policy.endorsementWindow.unit", "policy.timeZone"]))
        var tooLong = Policies.zhejiang
        tooLong.endorsementWindow = Period(11, .months)
        #expect(tooLong.problems.map(\.path) == ["policy.endorsementWindow"])
    }
}
