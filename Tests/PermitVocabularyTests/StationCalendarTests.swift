import Foundation
import PermitVocabulary
import Testing

@Suite struct StationCalendarTests {
    let shanghai = try! StationCalendar(timeZoneIdentifier: "Asia/Shanghai")

    @Test func anInstantIsTheDayItFallsOnInTheStationsZone() throws {
        // 2026-11-21T20:00:00Z is already 22 November in Shanghai, still 21 November in UTC.
        let instant = Date(timeIntervalSince1970: 1_795_291_200)
        #expect(shanghai.date(of: instant) == CalendarDate(year: 2026, month: 11, day: 22))
        let utc = try StationCalendar(timeZoneIdentifier: "UTC")
        #expect(utc.date(of: instant) == CalendarDate(year: 2026, month: 11, day: 21))
    }

    @Test func noonOfADayIsOnThatDay() {
        for text in ["2024-02-29", "2026-01-01", "2026-12-31"] {
            let day = CalendarDate(iso: text)!
            #expect(shanghai.date(of: shanghai.noon(of: day)) == day)
            #expect(shanghai.noon(of: day).timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 4 * 3600)
        }
    }

    @Test func anUnknownZoneIsAnErrorNotAnotherZonesDate() {
        #expect { try StationCalendar(timeZoneIdentifier: "Mars/Olympus") } throws: { error in
            (error as? StationCalendar.UnknownTimeZone)?.identifier == "Mars/Olympus"
        }
    }

    @Test func theSystemClockIsSilentAndReadsTheSystemTime() {
        #expect(StationClock.system.testDay == nil)
        #expect(StationClock.system.testNotice == nil)
        let before = Date()
        let reading = shanghai.now()
        #expect(reading.instant >= before && reading.instant <= Date())
        #expect(reading.date == shanghai.date(of: reading.instant))
    }

    @Test func aTestClockStandsAtNoonOfItsDayAndSaysSo() throws {
        let day = CalendarDate(year: 2027, month: 2, day: 15)!
        let calendar = StationCalendar(timeZone: shanghai.timeZone, clock: .test(day: day))
        #expect(calendar.today == day)
        #expect(calendar.now().instant == shanghai.noon(of: day))
        let notice = try #require(calendar.clock.testNotice)
        #expect(notice.contains("TEST CLOCK") && notice.contains("2027-02-15"))
    }
}
