import Testing
import PropertyBased
import Lifecycle

/// Random histories: an issue date, endorsement gaps in days, and perhaps an officer cancellation.
enum RandomHistory {
    static let issueOffset = Gen.int(in: 0...1500)
    static let gaps = Gen.int(in: 0...420).array(of: 0...6)
    static let cancelAt = Gen.int(in: -1...2000)
    static let reason = Gen.int(in: 0...3)

    static func make(_ offset: Int, _ gaps: [Int], _ cancelAt: Int, _ reason: Int) -> PermitHistory {
        let issued = CalendarDate(iso: "2023-01-01")!.adding(days: offset)
        var day = issued
        var events: [PermitEvent] = gaps.map { gap in
            day = day.adding(days: gap)
            return .endorsed(day)
        }
        if cancelAt >= 0 { events.append(.cancelled(issued.adding(days: cancelAt), CancellationReason.officerReasons[reason])) }
        return PermitHistory(issued: issued, events: events)
    }
}

@Suite struct LifecyclePropertyTests {
    @Test(arguments: [Policies.zhejiang, Policies.innerMongolia])
    func statusOverTimeFollowsTheWhitelistAndNeverLeavesCancelled(_ policy: RegionPolicy) async {
        await propertyCheck(count: 150, input: RandomHistory.issueOffset, RandomHistory.gaps, RandomHistory.cancelAt, RandomHistory.reason) { o, g, c, r in
            let history = RandomHistory.make(o, g, c, r)
            guard let first = try? Lifecycle.evaluate(history, policy: policy, on: history.issued) else {
                return  // a refused cancellation (already cancelled automatically): nothing to walk
            }
            var previous = first
            // An officer may cancel on the issue day itself (e.g. false documents found at once).
            #expect(previous.status == (c == 0 ? .cancelled : .inForce))
            var day = history.issued
            for _ in 0..<(365 * 6 / 7) {
                day = day.adding(days: 7)
                let now = try Lifecycle.evaluate(history, policy: policy, on: day)
                if previous.status == .cancelled { #expect(now.status == .cancelled) }
                #expect(now.expiry >= now.residenceSince)
                #expect(now.windowOpens <= now.windowCloses)
                previous = now
            }
        }
    }

    @Test(arguments: [Policies.zhejiang, Policies.innerMongolia])
    func dailyStepsAreWhitelistedAndMatchTheScheduledTransition(_ policy: RegionPolicy) async {
        await propertyCheck(count: 60, input: RandomHistory.issueOffset, RandomHistory.gaps, RandomHistory.cancelAt, RandomHistory.reason) { o, g, c, r in
            let history = RandomHistory.make(o, g, c, r)
            guard var previous = try? Lifecycle.evaluate(history, policy: policy, on: history.issued) else { return }
            var day = history.issued
            for _ in 0..<900 {
                day = day.adding(days: 1)
                let now = try Lifecycle.evaluate(history, policy: policy, on: day)
                let endorsedToday = history.events.contains { $0 == .endorsed(day) }
                let cancelledToday = history.events.contains { if case .cancelled(day, _) = $0 { true } else { false } }
                if now.status != previous.status {
                    let legal = TransitionTrigger.allCases.contains {
                        StatusTransition.allowed.contains(.init(from: previous.status, to: now.status, trigger: $0))
                    }
                    #expect(legal, "\(previous.status) → \(now.status) on \(day)")
                    if !endorsedToday && !cancelledToday {
                        // A change by the calendar alone is the one announced the day before.
                        #expect(previous.nextTransition == ScheduledTransition(on: day, to: now.status))
                    }
                }
                previous = now
            }
        }
    }
}
