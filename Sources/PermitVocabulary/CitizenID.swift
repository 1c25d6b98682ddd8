/// The 18-character citizen identity number (公民身份号码, GB 11643-1999): 6-digit region, 8-digit birth
/// date, 3-digit sequence (odd for men, even for women), and an ISO 7064 MOD 11-2 check character
/// (0-9 or X). A value of this type has passed every check, so the card, the registry and the
/// station never hold an ID that is merely the right shape.
public struct CitizenID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 18 characters, with an upper-case `X`.
    public let text: String
    /// The birth date in characters 7-14.
    public let birthDate: CalendarDate

    /// Checks `text` (a lower-case `x` is taken as `X`); throws the first problem found.
    public init(_ text: some StringProtocol) throws(Problem) {
        let text = text.uppercased()
        guard text.count == 18 else { throw .length(text.count) }
        let first17 = text.prefix(17)
        guard let check = Self.checkCharacter(for: first17) else { throw .notDigits }
        let birth = text.dropFirst(6).prefix(8)
        guard let year = Int(birth.prefix(4)), let month = Int(birth.dropFirst(4).prefix(2)), let day = Int(birth.suffix(2)),
              let birthDate = CalendarDate(year: year, month: month, day: day)
        else { throw .birthDate(String(birth)) }
        guard text.last == check else { throw .checkCharacter(expected: check) }
        self.text = text
        self.birthDate = birthDate
    }

    /// A valid number from its parts (generated test and benchmark data): `region` 6 digits,
    /// `birth` date, `sequence` 0...999.
    public init(region: Int, birth: CalendarDate, sequence: Int) {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let first17 = pad(region, 6) + pad(birth.year, 4) + pad(birth.month, 2) + pad(birth.day, 2) + pad(sequence, 3)
        // 17 digits always have a check character.
        text = first17 + String(Self.checkCharacter(for: first17)!)
        birthDate = birth
    }

    /// The GB/T 2260 region code of the household registration when the number was given (characters 1-6).
    public var regionCode: String { String(text.prefix(6)) }

    public var description: String { text }

    public static func < (lhs: CitizenID, rhs: CitizenID) -> Bool { lhs.text < rhs.text }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// The check character for the first 17 digits, or nil when they are not 17 ASCII digits.
    public static func checkCharacter(for first17: some StringProtocol) -> Character? {
        guard first17.count == 17, first17.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let sum = zip(first17, weights).reduce(0) { $0 + $1.0.wholeNumberValue! * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// What is wrong with a number; the description completes a sentence that starts with the number.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case length(Int)
        case notDigits
        case birthDate(String)
        case checkCharacter(expected: Character)

        public var description: String {
            switch self {
            case .length(let count): "must have 18 characters (it has \(count))"
            case .notDigits: "must start with 17 digits"
            case .birthDate(let digits): "has no valid birth date in characters 7-14 (\(digits))"
            case .checkCharacter(let expected):
                "fails its check character (expected \(expected) at the end); check for a typing error"
            }
        }
    }

    /// Codable as its 18 characters; decoding checks them.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "the citizen ID \"\(text)\" \(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
