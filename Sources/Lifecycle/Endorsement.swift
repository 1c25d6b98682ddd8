/// Why the rules refuse an endorsement.
public enum Refusal: Sendable, Hashable, CustomStringConvertible {
    /// Before the window opens (which includes a second endorsement in the same period); says when it opens.
    case windowNotOpen(opens: CalendarDate)
    /// Overdue beyond the region's limit: the holder is sent to the counter, where an officer determines the cancellation.
    case cancellationDue(since: CalendarDate)
    /// The permit is cancelled; a cancelled permit is never restored.
    case cancelled(since: CalendarDate, reason: CancellationReason)
    /// Dated before the permit was issued.
    case beforeIssue(issued: CalendarDate)

    /// Stable machine form, used in JSON and the registry: `windowNotOpen:YYYY-MM-DD`,
    /// `cancellationDue:YYYY-MM-DD`, `cancelled:REASON`, `beforeIssue`.
    public var code: String {
        switch self {
        case .windowNotOpen(let opens): return "windowNotOpen:\(opens)"
        case .cancellationDue(let since): return "cancellationDue:\(since)"
        case .cancelled(_, let reason): return "cancelled:\(reason.rawValue)"
        case .beforeIssue: return "beforeIssue"
        }
    }

    public var explanation: String {
        switch self {
        case .windowNotOpen(let opens): return "the endorsement window opens on \(opens); come back on or after that day"
        case .cancellationDue(let since):
            return "the permit has been overdue beyond the region's limit since \(since) and is due for cancellation; the holder goes to the police counter, where an officer decides"
        case .cancelled(let since, let reason):
            return "the permit was cancelled on \(since) (\(reason.explanation)); a cancelled permit is never restored, the person applies again"
        case .beforeIssue(let issued): return "the permit was only issued on \(issued)"
        }
    }

    public var description: String { code }
}

/// The outcome of an endorsement: its class, and the refusal when refused.
public enum EndorsementOutcome: Sendable, Hashable {
    case timely, lateContinuous, lateReset
    case refused(Refusal)

    /// The class of an accepted endorsement; nil when refused.
    public var endorsementClass: EndorsementClass? {
        switch self {
        case .timely: return .timely
        case .lateContinuous: return .lateContinuous
        case .lateReset: return .lateReset
        case .refused: return nil
        }
    }

    public var refusal: Refusal? {
        if case .refused(let refusal) = self { return refusal }
        return nil
    }
}
