/// The State Council's working days for the years its notices cover: Monday to Friday, minus the days off
/// it announces, plus the make-up working days (调休上班) it announces.
///
/// The schedule is announced a year at a time, so the calendar knows only the years shipped with the station
/// (`cardprofiles/holidays/NAME.json`, loaded by `CardProfiles`); counting into any other year is an error,
/// never a guess.
public struct WorkingDayCalendar: Sendable, Hashable {
    public let name: String
    /// The years whose every day the calendar can answer for.
    public let years: ClosedRange<Int>
    private let daysOff: Set<Int>
    private let makeUpWorkingDays: Set<Int>

    /// A calendar from its days, which must lie inside `years` (the loader checks the file against this).
    public init(name: String, years: ClosedRange<Int>, daysOff: [CalendarDate], makeUpWorkingDays: [CalendarDate]) {
        self.name = name
        self.years = years
        self.daysOff = Set(daysOff.map(\.dayNumber))
        self.makeUpWorkingDays = Set(makeUpWorkingDays.map(\.dayNumber))
    }

    /// Whether `date` is a working day; throws for a date outside the covered years.
    public func isWorkingDay(_ date: CalendarDate) throws(LifecycleError) -> Bool {
        guard years.contains(date.year) else { throw .outsideWorkingDayCalendar(date: date, calendar: name, years: years) }
        if makeUpWorkingDays.contains(date.dayNumber) { return true }
        return date.isoWeekday <= 5 && !daysOff.contains(date.dayNumber)
    }

    /// The `n`-th working day after `date` (`n == 0`: `date` itself). Throws when a day counted is not covered.
    public func adding(workingDays n: Int, to date: CalendarDate) throws(LifecycleError) -> CalendarDate {
        precondition(n >= 0, "working days are counted forwards")
        var day = date
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if try isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}
