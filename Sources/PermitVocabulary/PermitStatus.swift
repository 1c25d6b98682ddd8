/// Where a permit stands on a given date.
public enum PermitStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Valid, and not yet endorsable.
    case inForce
    /// Valid, and inside the endorsement window `[opens, expiry]`.
    case windowOpen
    /// Not endorsed by the expiry date: not in force (功能中止) until a late endorsement restores it.
    case suspended
    /// Overdue beyond the region's limit: still not in force, not endorsable, waiting for an officer's
    /// determination (经有关部门认定后，注销). The calendar never moves a permit on from here.
    case cancellationDue
    /// Cancelled (注销) by an officer's determination: final; the person applies again.
    case cancelled

    public var description: String { rawValue }

    /// Whether a card with this status is in force for verification.
    public var isInForce: Bool { self == .inForce || self == .windowOpen }
}
