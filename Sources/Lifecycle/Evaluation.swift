/// Something that happened to a permit, as recorded by a station.
public enum PermitEvent: Sendable, Hashable {
    case endorsed(CalendarDate)
    case cancelled(CalendarDate, CancellationReason)

    public var date: CalendarDate {
        switch self {
        case .endorsed(let date), .cancelled(let date, _): return date
        }
    }

    /// Same-day order: endorsements before a cancellation (the cancellation is the last word that day).
    var sameDayRank: Int {
        if case .endorsed = self { return 0 }
        return 1
    }
}

/// A permit's recorded history: its issue date and events.
public struct PermitHistory: Sendable, Hashable {
    public var issued: CalendarDate
    public var events: [PermitEvent]

    public init(issued: CalendarDate, events: [PermitEvent] = []) {
        self.issued = issued
        self.events = events
    }

    /// Events in the order the rules apply them: by date, endorsements before a cancellation on the same day,
    /// otherwise as given.
    public var orderedEvents: [PermitEvent] {
        events.enumerated().sorted { a, b in
            (a.element.date, a.element.sameDayRank, a.offset) < (b.element.date, b.element.sameDayRank, b.offset)
        }.map(\.element)
    }
}

/// One endorsement of the history and how the rules treated it.
public struct ClassifiedEndorsement: Sendable, Hashable {
    public let on: CalendarDate
    public let outcome: EndorsementOutcome
}

/// The answer to "where does this permit stand on this date".
public struct Evaluation: Sendable, Hashable {
    public let date: CalendarDate
    public let status: PermitStatus
    public let expiry: CalendarDate
    /// Start of the continuous residence period (居住年限 counted from here).
    public let residenceSince: CalendarDate
    public let windowOpens: CalendarDate
    public let windowCloses: CalendarDate
    /// The last day a late endorsement keeps the residence period continuous, if the region has a grace.
    public let graceEnds: CalendarDate?
    /// The first day the permit is (or will be, if not endorsed) due for cancellation, if the region has the ground.
    public let cancellationDueFrom: CalendarDate?
    public let nextTransition: ScheduledTransition?
    /// The cancellation in effect on `date`, if any.
    public let cancellation: Cancellation?
    /// Every endorsement of the history, in date order, classified against the events before it.
    public let endorsements: [ClassifiedEndorsement]
    /// The state after the events up to `date`.
    public let state: PermitState
}

/// The region rules as pure functions of history, policy and date.
public enum Lifecycle {
    /// Folds `history` in date order and answers for `date`. Endorsements dated after `date` are still
    /// classified (against everything before them) but do not change the answer for `date`.
    /// Refused endorsements are reported, not thrown; a refused cancellation throws.
    public static func evaluate(_ history: PermitHistory, policy: RegionPolicy, on date: CalendarDate) throws(LifecycleError) -> Evaluation {
        guard date >= history.issued else { throw .beforeIssue(date: date, issued: history.issued) }
        var state = PermitState(issued: history.issued)
        var stateOnDate: PermitState?
        var classified: [ClassifiedEndorsement] = []
        for event in history.orderedEvents {
            if event.date > date, stateOnDate == nil { stateOnDate = state }
            switch event {
            case .endorsed(let day):
                let outcome = state.classifyEndorsement(on: day, policy: policy)
                if outcome.refusal == nil { try state.endorse(on: day, policy: policy) }
                classified.append(ClassifiedEndorsement(on: day, outcome: outcome))
            case .cancelled(let day, let reason):
                try state.cancel(on: day, reason: reason, policy: policy)
            }
        }
        let answered = stateOnDate ?? state
        return Evaluation(
            date: date,
            status: answered.status(on: date, policy: policy),
            expiry: answered.expiry(policy),
            residenceSince: answered.residenceSince,
            windowOpens: answered.windowOpens(policy),
            windowCloses: answered.expiry(policy),
            graceEnds: answered.graceEnds(policy),
            cancellationDueFrom: answered.cancellationDueFrom(policy),
            nextTransition: answered.nextTransition(after: date, policy: policy),
            cancellation: answered.cancellation.flatMap { $0.on <= date ? $0 : nil },
            endorsements: classified,
            state: answered)
    }
}
