import Foundation
import Lifecycle

/// Reads a working-day calendar, `cardprofiles/holidays/NAME.json`: one entry per year with the State
/// Council's notices (cited), the days off and the make-up working days they announce (docs/RULES.md,
/// "Working days"). The file is checked as strictly as a profile: a wrong date here moves every deadline.
enum HolidayCalendarFile {
    static let folderName = "holidays"

    struct Contents: Decodable {
        let format: Int
        let calendar: String
        let title: String
        let rule: String
        let years: [Year]
    }

    struct Year: Decodable {
        let year: Int
        let notices: [String]
        let daysOff: [DaysOff]
        let makeUpWorkingDays: [CalendarDate]
    }

    struct DaysOff: Decodable {
        let name: String
        let from: CalendarDate
        let to: CalendarDate
    }

    /// The file of calendar `name` in the profiles directory `directory`.
    static func file(_ name: String, in directory: URL) -> URL {
        directory.appendingPathComponent(folderName).appendingPathComponent(name + ".json")
    }

    /// The calendar `name` of the profiles directory `directory` (in `holidays/`), `nil` if there is no such file.
    static func load(_ name: String, in directory: URL) throws(ProfileError) -> WorkingDayCalendar? {
        let file = file(name, in: directory)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(file: file.path, reason: "the policy's holidayCalendar \"\(name)\" needs this file (\(error.localizedDescription))")
        }
        return try parse(data, name: name, file: file.path)
    }

    static func parse(_ data: Data, name: String, file: String) throws(ProfileError) -> WorkingDayCalendar {
        let contents: Contents
        do {
            contents = try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw .malformedJSON(file: file, reason: "not a holiday calendar (format, calendar, title, rule, years[{year, notices, daysOff[{name, from, to}], makeUpWorkingDays}]): \(error)")
        }
        func invalid(_ path: String, _ text: String) -> ProfileError { .invalid(file: file, path: path, problem: .inconsistent(text)) }
        guard contents.format == 1 else { throw invalid("format", "must be 1 (got \(contents.format))") }
        guard contents.calendar == name else { throw invalid("calendar", "is \"\(contents.calendar)\" but the file is named \(name).json") }
        guard let first = contents.years.first?.year else { throw invalid("years", "must list at least one year") }
        var off: [CalendarDate] = [], work: [CalendarDate] = []
        for (index, entry) in contents.years.enumerated() {
            let at = "years[\(index)]"
            guard entry.year == first + index else { throw invalid(at + ".year", "must be \(first + index): years are listed in order, none missing") }
            guard !entry.notices.isEmpty else { throw invalid(at + ".notices", "must cite the notice(s) the year's days come from") }
            // A notice may move days of the previous December (元旦), never of another year.
            let earliest = CalendarDate(year: entry.year - 1, month: 12, day: 1)!, latest = CalendarDate(year: entry.year, month: 12, day: 31)!
            for (i, period) in entry.daysOff.enumerated() {
                guard period.from <= period.to, period.from >= earliest, period.to <= latest, period.to.days(since: period.from) < 14 else {
                    throw invalid("\(at).daysOff[\(i)]", "\(period.name) \(period.from) to \(period.to) is not a holiday period of \(entry.year)")
                }
                off += (0...period.to.days(since: period.from)).map { period.from.adding(days: $0) }
            }
            for (i, day) in entry.makeUpWorkingDays.enumerated() {
                guard day >= earliest, day <= latest, day.isoWeekday >= 6 else {
                    throw invalid("\(at).makeUpWorkingDays[\(i)]", "\(day) is not a Saturday or Sunday of \(entry.year) (a make-up working day replaces a weekend day)")
                }
                work.append(day)
            }
        }
        if let clash = Set(off).intersection(work).min() { throw invalid("years", "\(clash) is both a day off and a make-up working day") }
        return WorkingDayCalendar(name: name, years: first...(first + contents.years.count - 1), daysOff: off, makeUpWorkingDays: work)
    }
}
