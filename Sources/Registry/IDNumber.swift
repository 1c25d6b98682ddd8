import Lifecycle

/// The 18-character resident identity number (GB 11643-1999): 6-digit region, 8-digit birth date,
/// 3-digit sequence, and an ISO 7064 MOD 11-2 check character (0-9 or X).
public enum IDNumber {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// The check character for the first 17 digits.
    public static func checkCharacter(for first17: some StringProtocol) -> Character? {
        guard first17.count == 17, first17.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// Why `text` is not a valid ID number, or `nil` if it is.
    public static func problem(with text: String) -> String? {
        guard text.count == 18 else { return "must have 18 characters (it has \(text.count))" }
        let first17 = text.prefix(17)
        guard let check = checkCharacter(for: first17) else { return "must start with 17 digits" }
        let birth = text.dropFirst(6).prefix(8)
        let iso = "\(birth.prefix(4))-\(birth.dropFirst(4).prefix(2))-\(birth.suffix(2))"
        guard CalendarDate(iso: iso) != nil else { return "has no valid birth date in characters 7-14 (\(birth))" }
        guard text.last == check else { return "fails its check character (expected \(check) at the end); check for a typing error" }
        return nil
    }
}

extension IDNumber {
    /// A valid number from its parts (for generated test and benchmark data):
    /// `region` 6 digits, `birth` date, `sequence` 0...999.
    public static func make(region: Int, birth: CalendarDate, sequence: Int) -> String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let first17 = pad(region, 6) + pad(birth.year, 4) + pad(birth.month, 2) + pad(birth.day, 2) + pad(sequence, 3)
        return first17 + String(checkCharacter(for: first17)!)
    }
}
