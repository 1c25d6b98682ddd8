import Foundation
import Testing
import Lifecycle

@Suite struct CalendarDateTests {
    @Test(arguments: ["2024-02-29", "2025-12-31", "1970-01-01", "2000-02-29", "0001-01-01", "9999-12-31"])
    func parsesValidDates(_ text: String) throws {
        let date = try #require(CalendarDate(iso: text))
        #expect(date.description == text)
    }

    @Test(arguments: ["2025-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "2025-1-01",
                      "25-01-01", "2025/01/01", "2025-01-01T00:00", "", "abcd-ef-gh", "+025-01-01", "2025-01-0１"])
    func rejectsInvalidDates(_ text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test func dayNumbersRoundTripAndAreConsecutive() {
        var previous = CalendarDate(dayNumber: -800_000)
        for n in -799_999...800_000 where n % 97 == 0 || abs(n) < 2000 {
            let date = CalendarDate(dayNumber: n)
            #expect(date.dayNumber == n)
            #expect(date > previous)
            previous = date
        }
        #expect(d("1970-01-01").dayNumber == 0)
        #expect(d("2000-03-01").dayNumber - d("2000-02-28").dayNumber == 2)
        #expect(d("2100-03-01").dayNumber - d("2100-02-28").dayNumber == 1)
    }

    @Test(arguments: [
        ("2024-02-29", 12, "2025-02-28"), ("2024-02-29", 24, "2026-02-28"), ("2024-02-29", 36, "2027-02-28"),
        ("2024-02-29", 48, "2028-02-29"), ("2025-01-31", 1, "2025-02-28"), ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", -1, "2025-02-28"), ("2025-05-31", -1, "2025-04-30"), ("2025-12-15", 1, "2026-01-15"),
        ("2026-01-15", -1, "2025-12-15"), ("2025-03-15", -15, "2023-12-15"), ("2025-08-31", 6, "2026-02-28"),
    ])
    func monthArithmeticClampsToMonthEnd(_ start: String, _ months: Int, _ expected: String) {
        #expect(d(start).adding(months: months) == d(expected))
    }

    @Test func isoWeekdaysCountFromMonday() {
        #expect(d("2026-11-22").isoWeekday == 7)   // a Sunday
        #expect(d("2026-11-23").isoWeekday == 1)
        #expect(d("1970-01-01").isoWeekday == 4)
    }

    @Test func codableAsIsoString() throws {
        let data = try JSONEncoder().encode([d("2024-02-29")])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2024-02-29\"]")
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [d("2024-02-29")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data("[\"2025-02-29\"]".utf8)) }
    }
}
