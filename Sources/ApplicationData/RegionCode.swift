/// Administrative division codes (GB/T 2260): six digits, province · city · county. Checked for their
/// shape, not against the yearly list (codes change, and an ID keeps the code of its year): the first
/// two digits name one of China's provincial divisions, and a county-level code (a district of
/// residence) does not end in 00.
public enum RegionCode {
    /// The provincial divisions' two-digit codes.
    public static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    ]

    /// Checks `code`; with `county`, a county-level code is required.
    public static func check(_ code: String, field: String, county: Bool) throws(FieldProblem) {
        guard code.count == 6, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldProblem(field, "\"\(code)\" is not a 6-digit region code (GB/T 2260, for example 330102).")
        }
        guard provinces.contains(String(code.prefix(2))) else {
            throw FieldProblem(field, "\"\(code)\" does not start with a province's code (GB/T 2260: 11 Beijing … 65 Xinjiang, 71, 81, 82); check the code.")
        }
        if county, code.hasSuffix("00") {
            throw FieldProblem(field, "\"\(code)\" names a city or province, not a district or county; give the district's code (for example 330102).")
        }
    }
}
