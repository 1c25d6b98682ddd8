import PermitVocabulary

/// The checks a station makes of a holder's data and an application before anything is written, the
/// same for card issuance (`PermitCard`), the registry and the station's API: the citizen ID (GB 11643
/// check character and birth date), the birth date against the ID, the dates in order (birth < residence
/// since ≤ issue ≤ today), region codes, and every text field as `PersonalText` requires. Each failure is
/// a `FieldProblem` naming the field.
public enum ApplicationCheck {
    /// The oldest plausible holder: a birth date further back than this is a typing error.
    public static let maximumAge = 130

    /// The citizen ID `text` of field `field`, checked (GB 11643).
    public static func citizenID(_ text: String, field: String) throws(FieldProblem) -> CitizenID {
        let id: CitizenID
        do throws(CitizenID.Problem) { id = try CitizenID(text) } catch {
            throw FieldProblem(field, "\"\(text)\" \(error).")
        }
        try RegionCode.check(id.regionCode, field: field + " (characters 1-6)", county: false)
        return id
    }

    /// The birth date as entered must be the ID's (characters 7-14).
    public static func birthDate(_ birth: CalendarDate, matches id: CitizenID, field: String) throws(FieldProblem) {
        guard birth == id.birthDate else {
            throw FieldProblem(field, "\(birth) differs from the birth date in the citizen ID \(id) (\(id.birthDate)); correct one of them.")
        }
    }

    /// A birth date that can be a living holder's: not after `today`, and no more than `maximumAge` years before it.
    public static func birthDate(_ birth: CalendarDate, today: CalendarDate, field: String) throws(FieldProblem) {
        guard birth <= today else { throw FieldProblem(field, "\(birth) is after today (\(today)); check the year.") }
        guard birth >= today.adding(months: -12 * maximumAge) else {
            throw FieldProblem(field, "\(birth) is more than \(maximumAge) years ago; check the year.")
        }
    }

    /// A day something is recorded as having happened on (an application accepted, a permit issued, an event):
    /// not after `today`, since nothing is recorded in advance.
    public static func happened(_ day: CalendarDate, today: CalendarDate, field: String) throws(FieldProblem) {
        guard day <= today else {
            throw FieldProblem(field, "\(day) is after today (\(today)); record it on or after the day it happens.")
        }
    }

    /// The application's dates in their order: born before registering at the address, registered no
    /// later than the issue, issued no later than `today`; and a birth date no more than `maximumAge`
    /// years ago. `prefix` is the path of the fields (`""` or `"replacement."`).
    public static func dates(
        birth: CalendarDate, residenceSince: CalendarDate, issued: CalendarDate, today: CalendarDate,
        fields: (birth: String, residenceSince: String, issued: String)
    ) throws(FieldProblem) {
        try birthDate(birth, today: today, field: fields.birth)
        guard birth < residenceSince else {
            throw FieldProblem(fields.residenceSince, "\(residenceSince) is not after the holder's birth (\(birth)); give the day the holder registered at the address.")
        }
        guard residenceSince <= issued else {
            throw FieldProblem(fields.residenceSince, "\(residenceSince) is after the issue date \(issued); a permit is issued for a residence already registered.")
        }
        guard issued <= today else {
            throw FieldProblem(fields.issued, "\(issued) is after today (\(today)); a permit is issued on the day it is written, not in advance.")
        }
    }
}
