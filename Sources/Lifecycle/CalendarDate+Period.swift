/// Date arithmetic in the units regulations state periods in (`Period`): the rules' own words, so it
/// lives beside them while `CalendarDate` itself is shared vocabulary.
extension CalendarDate {
    /// Plus `n` working days (Monday to Friday; public holidays are not modelled, see docs/RULES.md).
    /// `n == 0` is the date itself; negative `n` counts backwards.
    public func adding(workingDays n: Int) -> CalendarDate {
        var date = self
        var left = abs(n)
        let step = n >= 0 ? 1 : -1
        while left > 0 {
            date = date.adding(days: step)
            if date.isoWeekday <= 5 { left -= 1 }
        }
        return date
    }

    /// Plus a period in its own unit.
    public func adding(_ period: Period) -> CalendarDate {
        switch period.unit {
        case .days: return adding(days: period.count)
        case .months: return adding(months: period.count)
        case .workingDays: return adding(workingDays: period.count)
        }
    }

    /// Minus a period in its own unit (months clamp as in `adding(months:)`).
    public func subtracting(_ period: Period) -> CalendarDate {
        adding(Period(-period.count, period.unit))
    }
}
