import Foundation
import PermitVocabulary

/// What the daemon asks of the station's calendar besides the date: the instant and the next sweep time.
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
}
