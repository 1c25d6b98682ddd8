import Foundation
import Lifecycle

/// The CLI's one clock: the only place the registry commands read the system time.
enum RegistryClock {
    static let defaultTimeZone = "Asia/Shanghai"

    /// Today's calendar date in `timeZone` (the station's region).
    static func today(timeZone: String) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: defaultTimeZone)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The current instant, ISO 8601 UTC, for `recorded_at`.
    @Sendable static func instant() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
