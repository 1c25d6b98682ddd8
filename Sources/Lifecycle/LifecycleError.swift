/// Why the rules refused an input. Each description says what was wrong and what to do.
public enum LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A status change that is not on `StatusTransition.allowed`.
    case transitionNotAllowed(from: PermitStatus, to: PermitStatus, trigger: TransitionTrigger)
    /// An endorsement the rules refuse (see `Refusal`).
    case endorsementRefused(on: CalendarDate, Refusal)
    /// A cancellation of a permit already cancelled, or dated before issue.
    case cancellationRefused(on: CalendarDate, reason: String)
    /// `overdue` given before the permit is due for cancellation (`dueFrom`), or in a region without that ground (`nil`).
    case overdueCancellationNotDue(on: CalendarDate, dueFrom: CalendarDate?)
    /// A question about a date before the permit existed.
    case beforeIssue(date: CalendarDate, issued: CalendarDate)
    /// An event dated before one already applied (histories are applied in date order).
    case outOfOrder(event: CalendarDate, after: CalendarDate)
    /// A working-day count reached a year the holiday calendar does not cover.
    case outsideWorkingDayCalendar(date: CalendarDate, calendar: String, years: ClosedRange<Int>)
    /// A working-day period in a policy whose holiday calendar was not loaded.
    case noWorkingDayCalendar(String)

    public var description: String {
        switch self {
        case .transitionNotAllowed(let from, let to, let trigger):
            return "The status change \(from) → \(to) by \(trigger.rawValue) is not allowed by the lifecycle rules; nothing was changed."
        case .endorsementRefused(let date, let refusal):
            return "The endorsement on \(date) is refused: \(refusal.explanation)."
        case .cancellationRefused(let date, let reason):
            return "The cancellation on \(date) is refused: \(reason)."
        case .overdueCancellationNotDue(let date, let dueFrom?):
            return "The cancellation on \(date) for \"overdue\" is refused: the permit is due for cancellation only from \(dueFrom) (more than the region's limit of days overdue); until then a late endorsement restores it."
        case .overdueCancellationNotDue(let date, nil):
            return "The cancellation on \(date) for \"overdue\" is refused: this region's rules have no overdue ground; give another reason code if another ground applies."
        case .beforeIssue(let date, let issued):
            return "\(date) is before the permit was issued (\(issued)); ask about a date on or after issue."
        case .outOfOrder(let event, let after):
            return "An event dated \(event) cannot be applied after one dated \(after); give the history in date order."
        case .outsideWorkingDayCalendar(let date, let calendar, let years):
            return "Working days cannot be counted through \(date): the holiday calendar \(calendar) holds the State Council's schedules for \(years.lowerBound)-\(years.upperBound) only. Install an update of cardprofiles/holidays/\(calendar).json with the notice for \(date.year)."
        case .noWorkingDayCalendar(let name):
            return "A deadline in working days needs the holiday calendar \(name), which was not loaded; install cardprofiles/holidays/\(name).json."
        }
    }
}
