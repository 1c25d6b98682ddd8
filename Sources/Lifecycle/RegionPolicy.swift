/// A region's lifecycle rules as data, read from the `policy` section of a card profile.
///
/// Every number that differs between regions lives here, so that a new region is a new
/// profile file and never new code (BRIEF §2).
public struct RegionPolicy: Sendable, Hashable, Codable {
    /// IANA time zone in which the region's calendar dates are counted.
    public var timeZone: String
    /// Validity of a permit, and of each endorsement, in calendar months.
    public var validityMonths: Int
    /// How long before the expiry date the endorsement window opens; it always closes on the expiry date.
    public var endorsementWindow: Period
    /// Days after expiry within which a late endorsement keeps the residence period continuous
    /// (0: every late endorsement restarts the count).
    public var continuityGraceDays: Int
    /// Days overdue after which a permit is cancelled automatically (`nil`: never automatically).
    public var cancelAfterOverdueDays: Int?
    /// How soon after moving a holder must report an address change.
    public var addressChangeDeadline: Period
    /// How soon after acceptance an application must be issued.
    public var issuanceDeadline: Period
    /// Whether residence points lapse when the permit is suspended or cancelled.
    public var pointsLapseOnSuspension: Bool

    public init(
        timeZone: String, validityMonths: Int, endorsementWindow: Period, continuityGraceDays: Int,
        cancelAfterOverdueDays: Int?, addressChangeDeadline: Period, issuanceDeadline: Period,
        pointsLapseOnSuspension: Bool
    ) {
        self.timeZone = timeZone
        self.validityMonths = validityMonths
        self.endorsementWindow = endorsementWindow
        self.continuityGraceDays = continuityGraceDays
        self.cancelAfterOverdueDays = cancelAfterOverdueDays
        self.addressChangeDeadline = addressChangeDeadline
        self.issuanceDeadline = issuanceDeadline
        self.pointsLapseOnSuspension = pointsLapseOnSuspension
    }
}

/// A length of time in the unit a regulation states it in.
public struct Period: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        case days, workingDays, months
    }
    public var count: Int
    public var unit: Unit

    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }
}
