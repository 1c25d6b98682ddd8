/// Why the rules refused an input. Each description says what was wrong and what to do.
public enum LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A status change that is not on `StatusTransition.allowed`.
    case transitionNotAllowed(from: PermitStatus, to: PermitStatus, trigger: TransitionTrigger)
    /// An endorsement the rules refuse (see `Refusal`).
    case endorsementRefused(on: CalendarDate, Refusal)
    /// A cancellation of a permit already cancelled, or dated before issue.
    case cancellationRefused(on: CalendarDate, reason: String)
    /// `overdue` given as an officer's reason.
    case reasonNotForOfficers(CancellationReason)
    /// A question about a date before the permit existed.
    case beforeIssue(date: CalendarDate, issued: CalendarDate)
    /// An event dated before one already applied (histories are applied in date order).
    case outOfOrder(event: CalendarDate, after: CalendarDate)

    public var description: String {
        switch self {
        case .transitionNotAllowed(let from, let to, let trigger):
            return "The status change \(from) → \(to) by \(trigger.rawValue) is not allowed by the lifecycle rules; nothing was changed."
        case .endorsementRefused(let date, let refusal):
            return "The endorsement on \(date) is refused: \(refusal.explanation)."
        case .cancellationRefused(let date, let reason):
            return "The cancellation on \(date) is refused: \(reason)."
        case .reasonNotForOfficers(let reason):
            return "\"\(reason.rawValue)\" is applied by the rules themselves; an officer gives one of \(CancellationReason.officerReasons.map(\.rawValue).joined(separator: ", "))."
        case .beforeIssue(let date, let issued):
            return "\(date) is before the permit was issued (\(issued)); ask about a date on or after issue."
        case .outOfOrder(let event, let after):
            return "An event dated \(event) cannot be applied after one dated \(after); give the history in date order."
        }
    }
}
