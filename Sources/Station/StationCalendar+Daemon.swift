import Foundation
import PermitVocabulary

/// What the daemon asks of the station's calendar besides the date: the instant, the next sweep time,
/// and the instant as the registry stamps it.
extension StationCalendar {
    /// The clock's instant now (noon of the test day under a test clock).
    public var instant: Date { now().instant }

    /// The next instant after `instant` at which the station's wall clock shows `time`.
    public func next(_ time: StationConfiguration.TimeOfDay, after instant: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.nextDate(after: instant, matching: DateComponents(hour: time.hour, minute: time.minute, second: 0),
                                 matchingPolicy: .nextTime) ?? instant.addingTimeInterval(86_400)
    }

    /// ISO 8601 (UTC) text of the instant now, for the registry's `recorded_at`.
    @Sendable public func instantText() -> String {
        ISO8601DateFormatter().string(from: instant)
    }
}
