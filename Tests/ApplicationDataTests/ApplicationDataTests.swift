import ApplicationData
import PermitVocabulary
import Testing

/// The one validation of holder and application data (issue 14 deliver 2).
@Suite("Holder and application data")
struct ApplicationDataTests {
    @Test("text with a control, bidi or decomposed character, empty or too long, is refused naming the field", arguments: [
        ("张\u{0}伟", "holds the control character U+0000 at character 2"),
        ("张伟\u{202E}", "holds the bidirectional formatting character U+202E (right-to-left override) at character 3"),
        ("张\u{2066}伟", "U+2066 (left-to-right isolate)"),
        ("张伟\n", "holds the control character U+000A"),
        ("e\u{301}", "is not in Unicode normal form C"),
        ("", "is empty"),
        (String(repeating: "张", count: 21), "takes 63 bytes of UTF-8, but the card holds at most 60 (20 Chinese characters)"),
    ])
    func textIsRefused(text: String, problem: String) {
        #expect(throws: FieldProblem.self) { try PersonalText.check(text, field: "holder.name", maxBytes: PersonalText.Limit.name) }
        do {
            try PersonalText.check(text, field: "holder.name", maxBytes: PersonalText.Limit.name)
        } catch {
            #expect(error.field == "holder.name")
            #expect(error.description.hasPrefix("holder.name "))
            #expect(error.problem.contains(problem), "\(error)")
        }
    }

    @Test("ordinary names and addresses pass", arguments: ["张伟", "ZHANG WEI", "浙江省杭州市上城区解放路100号3单元502室", "é", String(repeating: "张", count: 20)])
    func textPasses(text: String) throws {
        try PersonalText.check(text, field: "holder.name", maxBytes: PersonalText.Limit.name)
    }

    @Test("region codes have GB/T 2260's shape", arguments: [
        ("330102", true, nil), ("110105", false, nil), ("330100", true, "names a city or province"),
        ("990102", false, "does not start with a province's code"), ("33010", false, "is not a 6-digit region code"), ("33O102", true, "6-digit"),
    ] as [(String, Bool, String?)])
    func regionCodes(code: String, county: Bool, problem: String?) {
        do {
            try RegionCode.check(code, field: "address.district", county: county)
            #expect(problem == nil)
        } catch {
            #expect(problem.map(error.problem.contains) == true, "\(error)")
        }
    }

    @Test("a citizen ID is checked by GB 11643 and its region", arguments: [
        ("110105199005171233", nil), ("11010519900517002x", nil),
        ("110105199005171234", "fails its check character (expected 3 at the end)"),
        ("110105199013401233", "has no valid birth date in characters 7-14 (19901340)"),
        ("990105199005171237", "does not start with a province's code"),
    ] as [(String, String?)])
    func citizenIDs(text: String, problem: String?) {
        do {
            let id = try ApplicationCheck.citizenID(text, field: "holder.citizenID")
            #expect(problem == nil && id.birthDate == CalendarDate(year: 1990, month: 5, day: 17))
        } catch {
            #expect(problem.map(error.description.contains) == true, "\(error)")
        }
    }

    @Test func theBirthDateMustBeTheIDs() throws {
        let id = try ApplicationCheck.citizenID("110105199005171233", field: "holder.citizenID")
        try ApplicationCheck.birthDate(CalendarDate(year: 1990, month: 5, day: 17)!, matches: id, field: "holder.birthDate")
        #expect(throws: FieldProblem("holder.birthDate", "1990-05-18 differs from the birth date in the citizen ID 110105199005171233 (1990-05-17); correct one of them.")) {
            try ApplicationCheck.birthDate(CalendarDate(year: 1990, month: 5, day: 18)!, matches: id, field: "holder.birthDate")
        }
    }

    static let fields = (birth: "holder.birthDate", residenceSince: "address.since", issued: "issued")
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test("dates in order: birth < residence since ≤ issued ≤ today, and a plausible birth", arguments: [
        ("1990-05-17", "2025-09-01", "2026-03-01", nil),
        ("1990-05-17", "2026-03-01", "2026-03-01", nil),
        ("2030-01-01", "2031-01-01", "2026-03-01", "holder.birthDate 2030-01-01 is after today"),
        ("1800-01-01", "2025-09-01", "2026-03-01", "holder.birthDate 1800-01-01 is more than 130 years ago"),
        ("1990-05-17", "1990-05-17", "2026-03-01", "address.since 1990-05-17 is not after the holder's birth"),
        ("1990-05-17", "2031-01-01", "2026-03-01", "address.since 2031-01-01 is after the issue date 2026-03-01"),
        ("1990-05-17", "2025-09-01", "2030-01-01", "issued 2030-01-01 is after today (2026-03-01)"),
    ] as [(String, String, String, String?)])
    func dates(birth: String, since: String, issued: String, problem: String?) {
        do {
            try ApplicationCheck.dates(
                birth: Self.day(birth), residenceSince: Self.day(since), issued: Self.day(issued), today: Self.day("2026-03-01"), fields: Self.fields)
            #expect(problem == nil)
        } catch {
            #expect(problem.map(error.description.hasPrefix) == true, "\(error)")
        }
    }
}
