import Testing
import PropertyBased
import Lifecycle
import RulesOracle

/// Histories built valid by construction (`ValidHistory`: every generated case is used), evaluated by the module on
/// every day from issue to 400 days after the last event, and compared with `RulesOracle`, a separate reading of
/// docs/RULES.md that shares no code with `Lifecycle`.
@Suite struct LifecyclePropertyTests {
    static let histories = 60
    static let steps = zip(Gen.int(in: 0...999), Gen.int(in: 0...999)).array(of: 1...8)
    static let issueOffset = Gen.int(in: 0...3650)

    static func date(_ day: Int) -> CalendarDate { CalendarDate(dayNumber: day) }

    /// The module's events for a generated history: every endorsement (refused ones are reported by `evaluate`) and
    /// the accepted cancellations (a refused cancellation is never part of a recorded history).
    static func events(_ history: ValidHistory) -> [PermitEvent] {
        history.events.compactMap { event in
            switch event.kind {
            case .overdueCancellation, .prematureOverdueCancellation:
                event.expected == "accepted" ? .cancelled(date(event.day), .overdue) : nil
            case .otherCancellation:
                event.expected == "accepted" ? .cancelled(date(event.day), CancellationReason(rawValue: history.otherReason)!) : nil
            default:
                .endorsed(date(event.day))
            }
        }
    }

    static func code(_ outcome: EndorsementOutcome) -> String { outcome.refusal?.code ?? outcome.endorsementClass?.rawValue ?? "" }

    @Test(arguments: ["zhejiang", "inner-mongolia"])
    func everyDayOfAValidHistoryAgreesWithTheIndependentOracle(_ name: String) async {
        let (region, policy) = name == "zhejiang" ? (RulesOracle.Region.zhejiang, Policies.zhejiang) : (.innerMongolia, Policies.innerMongolia)
        var covered: [String: Int] = [:], checkedDays = 0, checkedHistories = 0
        await propertyCheck(count: Self.histories, input: Self.issueOffset, Self.steps) { offset, steps in
            let history = ValidHistory(region: region, issued: RulesOracle.day(iso: "2016-01-01") + offset, steps: steps)
            let permit = PermitHistory(issued: Self.date(history.issued), events: Self.events(history))
            let end = (history.events.last?.day ?? history.issued) + 400
            for event in history.events { covered["\(event.kind.rawValue) \(event.expected.prefix { $0 != ":" })", default: 0] += 1 }

            // Each endorsement gets the class (or refusal) the history was built to give it.
            let final = try Lifecycle.evaluate(permit, policy: policy, on: Self.date(end))
            #expect(final.endorsements.map { Self.code($0.outcome) } == history.events.filter(\.isEndorsement).map(\.expected))
            // Each refused cancellation is refused by the module on the state of its day.
            for event in history.events where !event.isEndorsement && event.expected == "refused" {
                var state = try Lifecycle.evaluate(permit, policy: policy, on: Self.date(event.day)).state
                #expect(throws: LifecycleError.self, "\(event.kind) on \(Self.date(event.day))") {
                    try state.cancel(on: Self.date(event.day), reason: .overdue, policy: policy)
                }
            }
            // Every day: the same status, dates and scheduled change; every change of status a move of the whitelist.
            var previous: Evaluation?
            for day in history.issued...end {
                let oracle = history.oracle(on: day)
                let answer = try Lifecycle.evaluate(permit, policy: policy, on: Self.date(day))
                #expect(answer.status.rawValue == oracle.status(on: day), "\(Self.date(day))")
                #expect(answer.expiry.dayNumber == oracle.expiry)
                #expect(answer.windowOpens.dayNumber == oracle.windowOpens)
                #expect(answer.residenceSince.dayNumber == oracle.residenceSince)
                let next = oracle.nextChange(after: day)
                #expect(answer.nextTransition?.on.dayNumber == next?.day)
                #expect(answer.nextTransition?.to.rawValue == next?.status)
                if let previous, previous.status != answer.status {
                    let event = history.events.first { $0.day == day && $0.expected != "refused" && !$0.expected.contains(":") }
                    let trigger: TransitionTrigger = switch (event?.isEndorsement, answer.status) {
                    case (true?, _): .endorsed
                    case (false?, _): .officerCancellation
                    case (nil, .windowOpen): .windowOpened
                    case (nil, .suspended): .expired
                    default: .overdue
                    }
                    #expect(TransitionTests.rulesMoves.contains(StatusTransition(from: previous.status, to: answer.status, trigger: trigger)),
                            "\(previous.status) → \(answer.status) by \(trigger) on \(Self.date(day))")
                }
                previous = answer
                checkedDays += 1
            }
            checkedHistories += 1
        }
        // Nothing was dropped, and the histories reached every kind of event the region has, refusals included.
        #expect(checkedHistories == Self.histories)
        #expect(checkedDays > Self.histories * 400)
        var expectedKinds = ["timely timely", "lateReset lateReset", "early windowNotOpen", "otherCancellation accepted",
                             "afterCancellation cancelled", "prematureOverdueCancellation refused"]
        expectedKinds += region.name == "zhejiang"
            ? ["whileDue cancellationDue", "overdueCancellation accepted"]
            : ["lateContinuous lateContinuous"]
        for kind in expectedKinds { #expect(covered[kind, default: 0] >= 3, "\(kind): covered \(covered[kind, default: 0]) times; all: \(covered)") }
    }
}
