/// A cancellation by an officer's determination: when it takes effect (that day is already cancelled) and why.
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

/// Everything the rules need to know about a permit after its recorded events.
///
/// Two dates are kept apart because the seeds keep them apart: the **validity cycle** (its start and the
/// number of validity periods since) decides the expiry and the windows, and the **residence period**
/// (居住年限) decides continuity. A timely endorsement moves neither start; a late one restarts the residence
/// period, and in a region whose validity restarts too (`ValidityAfterLateReset.fromRestoration`) the cycle.
///
/// Status, expiry and window are derived from these and a date, never stored as truth, so the registry
/// (which stores this state) and `Lifecycle.evaluate` (which folds a history into it) cannot disagree.
public struct PermitState: Sendable, Hashable, Codable {
    public let issued: CalendarDate
    /// Start of the validity cycle: the issue date, or the day of restoration where the region restarts it.
    public private(set) var cycleStart: CalendarDate
    /// Validity periods added to the first since `cycleStart` (one per accepted endorsement that kept the cycle).
    public private(set) var renewals: Int
    /// Start of the residence period (居住年限 counted from here).
    public private(set) var residenceSince: CalendarDate
    /// The officer's cancellation, once determined.
    public private(set) var cancellation: Cancellation?

    public init(issued: CalendarDate) {
        self.init(issued: issued, cycleStart: issued, renewals: 0, residenceSince: issued, cancellation: nil)
    }

    /// Rebuilds a stored state (the registry's columns).
    public init(issued: CalendarDate, cycleStart: CalendarDate, renewals: Int, residenceSince: CalendarDate, cancellation: Cancellation?) {
        self.issued = issued
        self.cycleStart = cycleStart
        self.renewals = renewals
        self.residenceSince = residenceSince
        self.cancellation = cancellation
    }

    /// Rebuilds the state a card records (issue date, residence-since, expiry), or `nil` when the expiry is not
    /// one the policy can reach from those dates (a card the rules did not write).
    public init?(issued: CalendarDate, residenceSince: CalendarDate, expiry: CalendarDate, policy: RegionPolicy) {
        let cycleStart = policy.validityAfterLateReset == .issueAnniversaries ? issued : residenceSince
        var renewals = 0
        while cycleStart.adding(months: policy.validityMonths * (renewals + 1)) < expiry, renewals < 1000 { renewals += 1 }
        guard residenceSince >= issued, cycleStart.adding(months: policy.validityMonths * (renewals + 1)) == expiry else { return nil }
        self.init(issued: issued, cycleStart: cycleStart, renewals: renewals, residenceSince: residenceSince, cancellation: nil)
    }

    /// `cycleStart + validity × (renewals + 1)` months, computed from the cycle start each time so that
    /// month-end clamping never accumulates (29 Feb 2024 → 28 Feb 2025 … 29 Feb 2028).
    public func expiry(_ policy: RegionPolicy) -> CalendarDate {
        cycleStart.adding(months: policy.validityMonths * (renewals + 1))
    }

    /// First day of the endorsement window; the window closes on `expiry` inclusive.
    public func windowOpens(_ policy: RegionPolicy) -> CalendarDate {
        let window = policy.endorsementWindow
        let expiry = expiry(policy)
        return window.unit == .months ? expiry.adding(months: -window.count) : expiry.adding(days: -window.count)
    }

    /// The day of suspension (中止之日): the day after the expiry.
    public func suspendedFrom(_ policy: RegionPolicy) -> CalendarDate {
        expiry(policy).adding(days: 1)
    }

    /// The last day a late endorsement keeps the residence period continuous: the continuity grace counted
    /// from the day of suspension (Inner Mongolia: 30 days from E + 1, so through E + 31). `nil`: no grace.
    public func graceEnds(_ policy: RegionPolicy) -> CalendarDate? {
        // Days and months never throw: only working days need the holiday calendar, and problems forbid them here.
        policy.continuityGrace.flatMap { try? policy.lastDay(of: $0, from: suspendedFrom(policy)) }
    }

    /// The first day the permit is due for cancellation (`expiry + limit + 1`: overdue *more than* the limit), if the region has the ground.
    public func cancellationDueFrom(_ policy: RegionPolicy) -> CalendarDate? {
        policy.cancellationDueAfterOverdueDays.map { expiry(policy).adding(days: $0 + 1) }
    }

    /// The status on `date` (a date on or after issue).
    public func status(on date: CalendarDate, policy: RegionPolicy) -> PermitStatus {
        if let cancellation, cancellation.on <= date { return .cancelled }
        if let due = cancellationDueFrom(policy), date >= due { return .cancellationDue }
        if date > expiry(policy) { return .suspended }
        if date >= windowOpens(policy) { return .windowOpen }
        return .inForce
    }

    /// The next day after `date` on which the status changes by the calendar alone, or `nil` if none is
    /// scheduled (cancelled, due for cancellation, or suspended in a region without the overdue ground).
    public func nextTransition(after date: CalendarDate, policy: RegionPolicy) -> ScheduledTransition? {
        let now = status(on: date, policy: policy)
        let candidates = [windowOpens(policy), suspendedFrom(policy), cancellationDueFrom(policy), cancellation?.on]
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
        if let cancellation, cancellation.on <= date {
            return .refused(.cancelled(since: cancellation.on, reason: cancellation.reason))
        }
        if let due = cancellationDueFrom(policy), date >= due { return .refused(.cancellationDue(since: due)) }
        let opens = windowOpens(policy)
        if date < opens { return .refused(.windowNotOpen(opens: opens)) }
        if date <= expiry(policy) { return .timely }
        if let graceEnds = graceEnds(policy), date <= graceEnds { return .lateContinuous }
        return .lateReset
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
            residenceSince = date
            switch policy.validityAfterLateReset {
            case .issueAnniversaries:
                renewals += 1
            case .fromRestoration:
                cycleStart = date
                renewals = 0
            }
            return .lateReset
        case .refused(let refusal):
            throw .endorsementRefused(on: date, refusal)
        }
    }

    /// Applies an officer's cancellation effective on `date`; throws if the permit is already cancelled,
    /// if `date` is before issue, or if `reason` is `overdue` and the permit is not yet due for cancellation.
    public mutating func cancel(on date: CalendarDate, reason: CancellationReason, policy: RegionPolicy) throws(LifecycleError) {
        guard date >= issued else { throw .beforeIssue(date: date, issued: issued) }
        if let existing = cancellation {
            let when = existing.on <= date ? "since" : "on"
            throw .cancellationRefused(on: date, reason: "the permit is already cancelled \(when) \(existing.on) (\(existing.reason.rawValue))")
        }
        if reason == .overdue, status(on: date, policy: policy) != .cancellationDue {
            throw .overdueCancellationNotDue(on: date, dueFrom: cancellationDueFrom(policy))
        }
        cancellation = Cancellation(on: date, reason: reason)
    }
}
