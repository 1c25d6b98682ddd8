/// Why a status changes. Each trigger allows only the moves in `StatusTransition.allowed`.
public enum TransitionTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// The calendar reached the first day of the endorsement window.
    case windowOpened
    /// An endorsement (timely or late) was recorded.
    case endorsed
    /// The calendar passed the expiry date with no endorsement.
    case expired
    /// The calendar passed the region's overdue limit: the permit is due for an officer's determination.
    case overdue
    /// An officer cancelled the permit with a reason code.
    case officerCancellation
}

/// One allowed move between statuses. Anything not in `allowed` is refused: a status change the
/// rules did not foresee is a bug or tampering, never something to record silently.
public struct StatusTransition: Sendable, Hashable, Codable, CustomStringConvertible {
    public let from: PermitStatus
    public let to: PermitStatus
    public let trigger: TransitionTrigger

    public init(from: PermitStatus, to: PermitStatus, trigger: TransitionTrigger) {
        self.from = from
        self.to = to
        self.trigger = trigger
    }

    public var description: String { "\(from) → \(to) (\(trigger.rawValue))" }

    /// The whitelist (docs/RULES.md, "Allowed transitions"). Nothing leaves `cancelled`; only an officer leaves
    /// `cancellationDue`.
    public static let allowed: Set<StatusTransition> = [
        .init(from: .inForce, to: .windowOpen, trigger: .windowOpened),
        .init(from: .windowOpen, to: .inForce, trigger: .endorsed),
        .init(from: .windowOpen, to: .suspended, trigger: .expired),
        .init(from: .suspended, to: .inForce, trigger: .endorsed),
        .init(from: .suspended, to: .cancellationDue, trigger: .overdue),
        .init(from: .inForce, to: .cancelled, trigger: .officerCancellation),
        .init(from: .windowOpen, to: .cancelled, trigger: .officerCancellation),
        .init(from: .suspended, to: .cancelled, trigger: .officerCancellation),
        .init(from: .cancellationDue, to: .cancelled, trigger: .officerCancellation),
    ]

    /// Throws unless `from → to` by `trigger` is on the whitelist.
    public static func check(from: PermitStatus, to: PermitStatus, by trigger: TransitionTrigger) throws(LifecycleError) {
        guard allowed.contains(.init(from: from, to: to, trigger: trigger)) else {
            throw .transitionNotAllowed(from: from, to: to, trigger: trigger)
        }
    }
}
