import Foundation
import Lifecycle

/// The daemon's one clock: the instant now, and the station's date (its time zone). Injected, so tests
/// and the demo can start the station on another day (`permitd --now`); time then runs on from there.
public struct StationClock: Sendable {
    public let timeZone: TimeZone
    /// Added to the system time: zero in production.
    let offset: TimeInterval

    public init(timeZone: TimeZone, startingAt start: Date? = nil) {
        self.timeZone = timeZone
        offset = start.map { $0.timeIntervalSinceNow } ?? 0
    }

    public func now() -> Date { Date(timeIntervalSinceNow: offset) }

    /// The station's date at `instant`: the one place an instant becomes a date.
    public func date(at instant: Date) -> CalendarDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    public func today() -> CalendarDate { date(at: now()) }

    /// The next instant after `instant` at which the station's wall clock shows `time`.
    public func next(_ time: StationConfiguration.TimeOfDay, after instant: Date) -> Date {
        calendar.nextDate(after: instant, matching: DateComponents(hour: time.hour, minute: time.minute, second: 0),
                          matchingPolicy: .nextTime) ?? instant.addingTimeInterval(86_400)
    }

    /// `YYYY-MM-DD` (noon that day in `timeZone`) or an ISO 8601 instant with its offset.
    public static func instant(parsing text: String, timeZone: String) -> Date? {
        if let date = CalendarDate(iso: text), let zone = TimeZone(identifier: timeZone) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))
        }
        return ISO8601DateFormatter().date(from: text)
    }

    /// ISO 8601 (UTC) text of the current instant, for the registry's `recorded_at`.
    @Sendable public func instantText() -> String {
        ISO8601DateFormatter().string(from: now())
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
