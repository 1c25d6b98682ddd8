import Foundation

/// A second reading of docs/RULES.md, written for the tests without the `Lifecycle` module: days are
/// Foundation dates in UTC counted as day numbers, months are added by Foundation's Gregorian calendar, and
/// the state is the list of cycles a simulation walks through. The property tests compare the module with it.
public struct RulesOracle: Sendable {
    /// The seed numbers of one region, as docs/RULES.md states them.
    public struct Region: Sendable {
        public let name: String
        /// The window opens this many months (Zhejiang) or days (Inner Mongolia) before the expiry.
        let windowMonths: Int?
        let windowDays: Int?
        /// The last day after the expiry on which a late endorsement keeps the residence period (E + 31), if any.
        let graceLastDayAfterExpiry: Int?
        /// The first day after the expiry on which the permit is due for cancellation (E + 61), if any.
        let dueDayAfterExpiry: Int?
        /// Whether a late endorsement past the grace starts the validity from its day (otherwise: issue anniversaries).
        let restartsValidity: Bool

        public static let zhejiang = Region(name: "zhejiang", windowMonths: 1, windowDays: nil, graceLastDayAfterExpiry: nil,
                                            dueDayAfterExpiry: 61, restartsValidity: false)
        public static let innerMongolia = Region(name: "inner-mongolia", windowMonths: nil, windowDays: 30, graceLastDayAfterExpiry: 31,
                                                 dueDayAfterExpiry: nil, restartsValidity: true)
    }

    public let region: Region
    public let issued: Int
    /// The day the current validity cycle started, and how many whole years it runs (1 + endorsements that kept it).
    public private(set) var cycleStart: Int
    public private(set) var years: Int
    public private(set) var residenceSince: Int
    public private(set) var cancelledOn: Int?
    public private(set) var cancelReason: String?

    public init(region: Region, issued: Int) {
        self.region = region
        self.issued = issued
        cycleStart = issued
        years = 1
        residenceSince = issued
    }

    public var expiry: Int { Self.day(Self.addMonths(12 * years, to: Self.date(cycleStart))) }

    public var windowOpens: Int {
        if let months = region.windowMonths { return Self.day(Self.addMonths(-months, to: Self.date(expiry))) }
        return expiry - region.windowDays!
    }

    public var graceLastDay: Int? { region.graceLastDayAfterExpiry.map { expiry + $0 } }
    public var dueFrom: Int? { region.dueDayAfterExpiry.map { expiry + $0 } }

    /// The status word on `day` (the module's `PermitStatus` raw values).
    public func status(on day: Int) -> String {
        if let cancelledOn, day >= cancelledOn { return "cancelled" }
        if let dueFrom, day >= dueFrom { return "cancellationDue" }
        if day > expiry { return "suspended" }
        return day >= windowOpens ? "windowOpen" : "inForce"
    }

    /// Applies an endorsement on `day` and returns its class (`timely`, `lateContinuous`, `lateReset`) or the
    /// refusal code the module uses (`windowNotOpen:DATE`, `cancellationDue:DATE`, `cancelled:REASON`, `beforeIssue`).
    public mutating func endorse(on day: Int) -> String {
        if day < issued { return "beforeIssue" }
        switch status(on: day) {
        case "cancelled": return "cancelled:\(cancelReason!)"
        case "cancellationDue": return "cancellationDue:\(Self.iso(dueFrom!))"
        case "inForce": return "windowNotOpen:\(Self.iso(windowOpens))"
        case "windowOpen":
            years += 1
            return "timely"
        default:
            if let graceLastDay, day <= graceLastDay {
                years += 1
                return "lateContinuous"
            }
            residenceSince = day
            if region.restartsValidity {
                cycleStart = day
                years = 1
            } else {
                years += 1
            }
            return "lateReset"
        }
    }

    /// Applies an officer's cancellation with a reason code; `false` when the rules refuse it (already cancelled,
    /// or `overdue` before the permit is due for cancellation).
    public mutating func cancel(on day: Int, reason: String) -> Bool {
        guard cancelledOn == nil, day >= issued else { return false }
        if reason == "overdue", status(on: day) != "cancellationDue" { return false }
        cancelledOn = day
        cancelReason = reason
        return true
    }

    /// The status changes docs/RULES.md allows ("Allowed transitions"), as `from>to:trigger`.
    public static let allowedMoves: Set<String> = [
        "inForce>windowOpen:windowOpened", "windowOpen>inForce:endorsed", "windowOpen>suspended:expired",
        "suspended>inForce:endorsed", "suspended>cancellationDue:overdue",
        "inForce>cancelled:officerCancellation", "windowOpen>cancelled:officerCancellation",
        "suspended>cancelled:officerCancellation", "cancellationDue>cancelled:officerCancellation",
    ]

    /// The next day after `day` on which the status changes with no event, and the status it becomes, within `limit` days.
    public func nextChange(after day: Int, limit: Int = 800) -> (day: Int, status: String)? {
        let now = status(on: day)
        for next in (day + 1)...(day + limit) where status(on: next) != now { return (next, status(on: next)) }
        return nil
    }

    // Dates: day numbers since 1970-01-01, through Foundation in UTC.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    public static func date(_ day: Int) -> Date { Date(timeIntervalSince1970: Double(day) * 86_400) }
    public static func day(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }
    static func addMonths(_ months: Int, to date: Date) -> Date { calendar.date(byAdding: .month, value: months, to: date)! }

    public static func iso(_ day: Int) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date(day))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    public static func day(iso text: String) -> Int {
        let parts = text.split(separator: "-").map { Int($0)! }
        return day(calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))!)
    }
}
