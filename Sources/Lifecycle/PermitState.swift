/// A cancellation: when it takes effect (that day is already cancelled) and why.
public struct Cancellation: Sendable, Hashable, Codable {
    public let on: CalendarDate
    public let reason: CancellationReason

    public init(on: CalendarDate, reason: CancellationReason) {
        self.on = on
        self.reason = reason
    }
}

/// A status change the calendar alone will bring, if nothing else happens first.
public struct ScheduledTransition: Sendable, Hashable, Codable {
    public let on: CalendarDate
    public let to: PermitStatus

    public init(on: CalendarDate, to: PermitStatus) {
        self.on = on
        self.to = to
    }
}

/// Everything the rules need to know about a permit after its recorded events: issue date, anchor,
/// the number of endorsements that kept the count since the anchor, and an officer's cancellation.
///
/// Status, expiry and window are derived from these and a date, never stored as truth, so the
/// registry (which stores this state) and `Lifecycle.evaluate` (which folds a history into it)
/// cannot disagree.
public struct PermitState: Sendable, Hashable, Codable {
    public let issued: CalendarDate
    /// Start of the residence period: the issue date, or the date of the last late endorsement that restarted the count.
    public private(set) var anchor: CalendarDate
    /// Endorsements (timely or late-continuous) since the anchor.
    public private(set) var renewals: Int
    /// An officer's cancellation. The automatic overdue cancellation is derived, see `cancellation(on:policy:)`.
    public private(set) var officerCancellation: Cancellation?

    public init(issued: CalendarDate) {
        self.init(issued: issued, anchor: issued, renewals: 0, officerCancellation: nil)
    }

    /// Rebuilds a stored state (the registry's columns).
    public init(issued: CalendarDate, anchor: CalendarDate, renewals: Int, officerCancellation: Cancellation?) {
        self.issued = issued
        self.anchor = anchor
        self.renewals = renewals
        self.officerCancellation = officerCancellation
    }

    /// `anchor + validity × (renewals + 1)` months, computed from the anchor each time so that
    /// month-end clamping never accumulates (29 Feb 2024 → 28 Feb 2025 … 29 Feb 2028).
    public func expiry(_ policy: RegionPolicy) -> CalendarDate {
        anchor.adding(months: policy.validityMonths * (renewals + 1))
    }

    /// First day of the endorsement window; the window closes on `expiry` inclusive.
    public func windowOpens(_ policy: RegionPolicy) -> CalendarDate {
        expiry(policy).subtracting(policy.endorsementWindow)
    }

    /// The day the overdue cancellation takes effect (`expiry + limit + 1`), if the region has one.
    public func overdueCancellationDay(_ policy: RegionPolicy) -> CalendarDate? {
        policy.cancelAfterOverdueDays.map { expiry(policy).adding(days: $0 + 1) }
    }

    /// The cancellation in effect on `date`, if any: the officer's or the automatic one, whichever came first.
    public func cancellation(on date: CalendarDate, policy: RegionPolicy) -> Cancellation? {
        let automatic = overdueCancellationDay(policy).map { Cancellation(on: $0, reason: .overdue) }
        let first = [officerCancellation, automatic].compactMap { $0 }.min { $0.on < $1.on }
        guard let first, first.on <= date else { return nil }
        return first
    }

    /// The status on `date` (a date on or after issue).
    public func status(on date: CalendarDate, policy: RegionPolicy) -> PermitStatus {
        if cancellation(on: date, policy: policy) != nil { return .cancelled }
        let expiry = expiry(policy)
        if date > expiry { return .suspended }
        if date >= windowOpens(policy) { return .windowOpen }
        return .inForce
    }

    /// The next day after `date` on which the status changes by the calendar alone, or `nil` if none is
    /// scheduled (cancelled, or suspended in a region without automatic cancellation).
    public func nextTransition(after date: CalendarDate, policy: RegionPolicy) -> ScheduledTransition? {
        let now = status(on: date, policy: policy)
        let candidates = [windowOpens(policy), expiry(policy).adding(days: 1),
                          overdueCancellationDay(policy), officerCancellation?.on]
            .compactMap { $0 }
            .filter { $0 > date }
            .sorted()
        for day in candidates {
            let then = status(on: day, policy: policy)
            if then != now { return ScheduledTransition(on: day, to: then) }
        }
        return nil
    }

    /// How an endorsement on `date` would be treated, without changing anything.
    public func classifyEndorsement(on date: CalendarDate, policy: RegionPolicy) -> EndorsementOutcome {
        if date < issued { return .refused(.beforeIssue(issued: issued)) }
        if let cancellation = cancellation(on: date, policy: policy) {
            return .refused(.cancelled(since: cancellation.on, reason: cancellation.reason))
        }
        let opens = windowOpens(policy)
        if date < opens { return .refused(.windowNotOpen(opens: opens)) }
        let overdue = date.days(since: expiry(policy))
        if overdue <= 0 { return .timely }
        return overdue <= policy.continuityGraceDays ? .lateContinuous : .lateReset
    }

    /// Applies an endorsement on `date` and returns its class; throws (and changes nothing) if the rules refuse it.
    @discardableResult
    public mutating func endorse(on date: CalendarDate, policy: RegionPolicy) throws(LifecycleError) -> EndorsementClass {
        switch classifyEndorsement(on: date, policy: policy) {
        case .timely:
            renewals += 1
            return .timely
        case .lateContinuous:
            renewals += 1
            return .lateContinuous
        case .lateReset:
            anchor = date
            renewals = 0
            return .lateReset
        case .refused(let refusal):
            throw .endorsementRefused(on: date, refusal)
        }
    }

    /// Applies an officer's cancellation effective on `date`; throws if the permit is already cancelled
    /// by then, if `date` is before issue, or if `reason` is the automatic `overdue`.
    public mutating func cancel(on date: CalendarDate, reason: CancellationReason, policy: RegionPolicy) throws(LifecycleError) {
        guard reason != .overdue else { throw .reasonNotForOfficers(reason) }
        guard date >= issued else { throw .beforeIssue(date: date, issued: issued) }
        if let existing = cancellation(on: date, policy: policy) {
            throw .cancellationRefused(on: date, reason: "the permit is already cancelled since \(existing.on) (\(existing.reason.rawValue))")
        }
        if let later = officerCancellation {
            throw .cancellationRefused(on: date, reason: "a cancellation on \(later.on) is already recorded")
        }
        officerCancellation = Cancellation(on: date, reason: reason)
    }
}
