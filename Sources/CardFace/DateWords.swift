import PermitVocabulary

/// Dates as printed on the card, the way Chinese identity documents print them.
extension CalendarDate {
    /// `1990年5月17日`
    var chineseText: String { "\(year)年\(month)月\(day)日" }

    /// `2026.03.01`, as in a validity period `2026.03.01-2027.03.01`.
    var dottedText: String { description.replacingOccurrences(of: "-", with: ".") }
}
