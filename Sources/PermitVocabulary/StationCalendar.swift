import Foundation

/// Where a station's time comes from. A station runs on the system clock; a clock stopped on a chosen
/// day exists for tests, the demo and benchmarks, and says so (`testNotice`) wherever it is used.
public struct StationClock: Sendable, Hashable {
    enum Source: Sendable, Hashable {
        case system
        case stopped(CalendarDate)
    }

    let source: Source

    /// The system's clock: the only clock a station's records are signed by.
    public static let system = StationClock(source: .system)

    /// A clock stopped at noon of `day` in the station's time zone. For tests, the demo and benchmarks:
    /// records signed under it carry `day`, whatever the real date.
    public static func test(day: CalendarDate) -> StationClock { StationClock(source: .stopped(day)) }

    /// The day a test clock is stopped on; nil for the system clock.
    public var testDay: CalendarDate? {
        if case .stopped(let day) = source { return day }
        return nil
    }

    /// Nil for the system clock. For a test clock, one sentence for the operator, printed on every run
    /// and written to the station's audit log, so that a stopped clock is never silent.
    public var testNotice: String? {
        testDay.map { "TEST CLOCK: acting as of \($0), not the real date; what is signed now is for tests only." }
    }
}

/// The station's calendar: its clock read in its region's time zone. The only place a clock instant
/// becomes a `CalendarDate` (rules, cards and the registry count whole days; BRIEF §2), so that every
/// part of the station agrees on what "today" is. Build it once from the profile's time zone and pass it
/// to whatever needs the date.
public struct StationCalendar: Sendable {
    public let timeZone: TimeZone
    public let clock: StationClock
    private let calendar: Calendar

    public init(timeZone: TimeZone, clock: StationClock = .system) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.timeZone = timeZone
        self.clock = clock
        self.calendar = calendar
    }

    /// The calendar of the IANA zone `identifier` (a profile's `policy.timeZone`); there is no fallback
    /// zone, so a name this machine does not know is an error, never another zone's date.
    public init(timeZoneIdentifier identifier: String, clock: StationClock = .system) throws(UnknownTimeZone) {
        guard let zone = TimeZone(identifier: identifier) else { throw UnknownTimeZone(identifier: identifier) }
        self.init(timeZone: zone, clock: clock)
    }

    /// The calendar day `instant` falls on in this station's time zone.
    public func date(of instant: Date) -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        // A Gregorian calendar always yields a valid day for the years a `Date` can hold.
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Noon of `date` in this station's time zone: the instant a test clock stands at, and the instant
    /// a day is checked at where an instant is needed (certificate validity).
    public func noon(of date: CalendarDate) -> Date {
        calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!
    }

    /// The first instant of `date` in this station's time zone (certificate validity starts on a day's midnight).
    public func start(of date: CalendarDate) -> Date {
        calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    }

    /// One reading of the clock, as an instant and as this station's date.
    public func now() -> (instant: Date, date: CalendarDate) {
        let instant = clock.testDay.map(noon(of:)) ?? Date()
        return (instant, date(of: instant))
    }

    /// Today in this station's time zone.
    public var today: CalendarDate { now().date }

    /// ISO 8601 (UTC) text of the instant now: when a row was written (the registry's `recorded_at`), not a date of the rules.
    @Sendable public func instantText() -> String {
        ISO8601DateFormatter().string(from: now().instant)
    }

    /// A time zone name this machine does not know.
    public struct UnknownTimeZone: Error, Sendable, Hashable, CustomStringConvertible {
        public let identifier: String
        public var description: String {
            "\"\(identifier)\" is not a time zone this machine knows; use an IANA name such as Asia/Shanghai (and check the system's tzdata)."
        }
    }
}
