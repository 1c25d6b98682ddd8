/// Where a permit stands on a given date.
public enum PermitStatus: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Valid, and not yet endorsable.
    case inForce
    /// Valid, and inside the endorsement window `[opens, expiry]`.
    case windowOpen
    /// Not endorsed by the expiry date: not in force (功能中止) until a late endorsement restores it.
    case suspended
    /// Cancelled (注销): final; the person applies again.
    case cancelled

    public var description: String { rawValue }

    /// Whether a card with this status is in force for verification.
    public var isInForce: Bool { self == .inForce || self == .windowOpen }
}
