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

extension RegionPolicy {
    /// One rule of the policy format broken: where (a JSON path under `policy`) and what.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let path: String
        public let problem: String
        public var description: String { "\(path): \(problem)" }
    }

    /// Everything wrong with this policy, empty when the rules can run on it. A profile loader reports these.
    ///
    /// Beyond simple ranges, the window plus the continuity grace must fit inside one validity period
    /// (otherwise an endorsement could land inside the next window and the whitelist would be broken).
    public var problems: [Problem] {
        var found: [Problem] = []
        func add(_ path: String, _ text: String) { found.append(Problem(path: "policy." + path, problem: text)) }
        if validityMonths < 1 { add("validityMonths", "must be at least 1 (got \(validityMonths))") }
        if endorsementWindow.count < 1 { add("endorsementWindow.count", "must be at least 1 (got \(endorsementWindow.count))") }
        if endorsementWindow.unit == .workingDays { add("endorsementWindow.unit", "must be days or months") }
        if continuityGraceDays < 0 { add("continuityGraceDays", "must not be negative (got \(continuityGraceDays))") }
        if let days = cancelAfterOverdueDays, days < 0 { add("cancelAfterOverdueDays", "must not be negative or null (got \(days))") }
        if addressChangeDeadline.count < 0 { add("addressChangeDeadline.count", "must not be negative") }
        if issuanceDeadline.count < 0 { add("issuanceDeadline.count", "must not be negative") }
        let windowDays = endorsementWindow.unit == .months ? endorsementWindow.count * 31 : endorsementWindow.count
        if validityMonths >= 1, windowDays + continuityGraceDays >= validityMonths * 28 {
            add("endorsementWindow", "the window plus continuityGraceDays must be shorter than validityMonths")
        }
        if TimeZoneName.isPlausible(timeZone) == false { add("timeZone", "\"\(timeZone)\" is not an IANA time zone name such as Asia/Shanghai") }
        return found
    }
}

/// The shape of an IANA zone name; the rules never use the zone, the station's clock does.
enum TimeZoneName {
    static func isPlausible(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }
    }
}
