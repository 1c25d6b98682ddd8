import CardProfiles
import Foundation
import Lifecycle
import Testing

/// The State Council's holiday schedules as shipped (cardprofiles/holidays/cn-state-council.json), checked against
/// the notices they cite, and the loader's refusals.
@Suite struct WorkingDayCalendarTests {
    let calendar = Policies.calendar

    @Test(arguments: [
        ("2025-01-26", true),    // Sunday, make-up working day before 春节 (国办发明电〔2024〕12号)
        ("2025-01-28", false), ("2025-02-04", false), ("2025-02-05", true),
        ("2025-02-08", true),    // Saturday, make-up working day
        ("2025-10-08", false), ("2025-10-09", true), ("2025-10-11", true),
        ("2020-01-31", false), ("2020-02-01", false), ("2020-02-03", true),   // 春节 extended to 2 February 2020
        ("2018-12-29", true), ("2018-12-31", false),                         // the 2019 notice moves days of December 2018
        ("2026-01-04", true), ("2026-02-23", false), ("2026-02-28", true),
        ("2026-11-21", false), ("2026-11-23", true),                         // an ordinary weekend and Monday
    ])
    func dayIsAWorkingDayAsTheNoticeSays(_ date: String, _ working: Bool) throws {
        #expect(try calendar.isWorkingDay(d(date)) == working)
    }

    @Test func fifteenWorkingDaysAcrossNationalDayCountTheMakeUpDaysAndSkipTheHolidays() throws {
        // Accepted Friday 2025-09-26: 9-28 (Sunday, make-up) is the 1st, 10-1..10-8 are off, 10-11 (Saturday) works.
        #expect(try calendar.adding(workingDays: 15, to: d("2025-09-26")) == d("2025-10-23"))
        // Monday to Friday alone would have said 2025-10-17.
        #expect(try calendar.adding(workingDays: 0, to: d("2025-09-26")) == d("2025-09-26"))
        #expect(try Policies.zhejiang.lastDay(of: Period(15, .workingDays), from: d("2025-09-26")) == d("2025-10-23"))
    }

    @Test func countingPastTheLastCoveredYearIsAClearError() throws {
        let error = try #require(throws: LifecycleError.self) { try calendar.adding(workingDays: 15, to: d("2026-12-20")) }
        #expect(error == .outsideWorkingDayCalendar(date: d("2027-01-01"), calendar: "cn-state-council", years: 2016...2026))
        #expect(error.description.contains("holds the State Council's schedules for 2016-2026 only"))
        #expect(error.description.contains("cardprofiles/holidays/cn-state-council.json"))
        #expect(throws: LifecycleError.outsideWorkingDayCalendar(date: d("2015-12-31"), calendar: "cn-state-council", years: 2016...2026)) {
            try calendar.isWorkingDay(d("2015-12-31"))
        }
    }

    @Test func policyWithoutItsCalendarSaysWhichFileToInstall() throws {
        var policy = Policies.zhejiang
        policy.workingDays = nil
        #expect(throws: LifecycleError.noWorkingDayCalendar("cn-state-council")) {
            try policy.lastDay(of: Period(15, .workingDays), from: d("2025-09-26"))
        }
        // Calendar days need no calendar.
        #expect(try policy.lastDay(of: Period(10, .days), from: d("2025-09-26")) == d("2025-10-06"))
    }

    @Test(arguments: [
        ("makeUpWorkingDays", "[\"2025-01-27\"]", "years[0].makeUpWorkingDays[0]"),                       // a Monday
        ("daysOff", "[{\"name\": \"x\", \"from\": \"2025-02-04\", \"to\": \"2025-01-28\"}]", "years[0].daysOff[0]"),
        ("daysOff", "[{\"name\": \"x\", \"from\": \"2023-10-01\", \"to\": \"2023-10-02\"}]", "years[0].daysOff[0]"), // another year
        ("notices", "[]", "years[0].notices"),
    ])
    func loaderRefusesAWrongCalendarNamingThePlace(_ key: String, _ json: String, _ path: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("holidays"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var year: [String: String] = [
            "year": "2025", "notices": "[\"a notice\"]", "makeUpWorkingDays": "[]",
            "daysOff": "[{\"name\": \"元旦\", \"from\": \"2025-01-01\", \"to\": \"2025-01-01\"}]",
        ]
        year[key] = json
        let body = year.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        let text = "{\"format\": 1, \"calendar\": \"test\", \"title\": \"t\", \"rule\": \"r\", \"years\": [{\(body)}]}"
        try text.write(to: directory.appendingPathComponent("holidays/test.json"), atomically: true, encoding: .utf8)
        let error = try #require(throws: ProfileError.self) { try ProfileLibrary(directory: directory).workingDayCalendar("test") }
        #expect(error.path == path)
    }
}
