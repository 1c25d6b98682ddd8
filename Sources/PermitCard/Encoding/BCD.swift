import ISO7816
import Foundation
import Lifecycle

/// Packed BCD as the card's files use it (CARD-SPEC §1): dates `YYYYMMDD` in 4 bytes (`00000000`
/// is "none"), station codes in 6 bytes, region and district codes in 3 bytes.
enum BCD {
    static func encode(digits: String) -> [UInt8] {
        let values = digits.compactMap(\.wholeNumberValue).map(UInt8.init)
        return stride(from: 0, to: values.count, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }

    /// The digits, or nil when a nibble is not 0-9.
    static func decode(_ bytes: [UInt8]) -> String? {
        var text = ""
        for byte in bytes {
            let (high, low) = (byte >> 4, byte & 0x0F)
            guard high < 10, low < 10 else { return nil }
            text += "\(high)\(low)"
        }
        return text
    }

    static func encode(_ date: CalendarDate?) -> [UInt8] {
        guard let date else { return [0, 0, 0, 0] }
        return encode(digits: String(format: "%04d%02d%02d", date.year, date.month, date.day))
    }

    /// A date field: nil for `00000000`; throws for anything that is not a calendar date.
    static func decodeDate(_ bytes: [UInt8], field: String) throws(CardDataError) -> CalendarDate? {
        if bytes.allSatisfy({ $0 == 0 }) { return nil }
        guard let digits = decode(bytes), digits.count == 8,
              let date = CalendarDate(year: Int(digits.prefix(4))!, month: Int(digits.dropFirst(4).prefix(2))!, day: Int(digits.suffix(2))!)
        else { throw .invalidField(field, "\(bytes.hexString) is not a BCD date YYYYMMDD") }
        return date
    }

    static func requireDate(_ bytes: [UInt8], field: String) throws(CardDataError) -> CalendarDate {
        guard let date = try decodeDate(bytes, field: field) else { throw .invalidField(field, "the date is missing (00000000)") }
        return date
    }
}

/// A number of fixed digit count stored as packed BCD: a 12-digit station code (public-security organ)
/// or a 6-digit GB/T 2260 region or district code.
public struct DigitCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public let digits: String

    /// nil unless `digits` is exactly `length` ASCII digits.
    public init?(_ digits: String, length: Int) {
        guard digits.count == length, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        self.digits = digits
    }

    init(bcd bytes: [UInt8], field: String) throws(CardDataError) {
        guard let digits = BCD.decode(bytes) else { throw .invalidField(field, "\(bytes.hexString) is not packed BCD") }
        self.digits = digits
    }

    var bcd: [UInt8] { BCD.encode(digits: digits) }
    public var description: String { digits }

    /// A 12-digit station code.
    public static func station(_ digits: String) -> DigitCode? { DigitCode(digits, length: 12) }
    /// A 6-digit region or district code.
    public static func district(_ digits: String) -> DigitCode? { DigitCode(digits, length: 6) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.count == 6 || text.count == 12, let code = DigitCode(text, length: text.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a 6- or 12-digit code"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
