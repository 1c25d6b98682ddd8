/// Hexadecimal text <-> bytes, the notation operators type and traces print.
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character that is neither a hex digit nor an allowed separator (space, `:`, `-`).
    case invalidCharacter(Character, position: Int)
    /// An odd number of hex digits: the last byte is incomplete.
    case oddDigitCount(Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let character, let position):
            "'\(character)' at position \(position) is not a hex digit (use 0-9 and A-F, two digits per byte)"
        case .oddDigitCount(let count):
            "\(count) hex digits is an odd number: every byte needs two digits"
        }
    }
}

extension Array where Element == UInt8 {
    /// Parses hex such as `00A40400`, `00 A4 04 00` or `00:a4:04:00`; separators are ignored.
    /// Positions in errors count characters from 1, as an operator reads the input.
    public init(hex text: String) throws(HexError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        var digits = 0
        for (index, character) in text.enumerated() {
            if character == " " || character == ":" || character == "-" || character == "\t" { continue }
            guard let nibble = character.hexDigitValue, character.isASCII else {
                throw .invalidCharacter(character, position: index + 1)
            }
            digits += 1
            if let value = high {
                bytes.append(value << 4 | UInt8(nibble))
                high = nil
            } else {
                high = UInt8(nibble)
            }
        }
        guard high == nil else { throw .oddDigitCount(digits) }
        self = bytes
    }

    /// Upper-case hex without separators, e.g. `00A40400`.
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The same notation for callers that prefer a namespace or an optional result (state files, the
/// emulator's command line): one parser and one printer behind both spellings.
public enum Hex {
    /// Upper-case hex without separators, e.g. `3F00`.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Array(bytes).hexString
    }

    /// Parses hex, ignoring separators (space, tab, `:`, `-`); nil when a character is not a hex digit
    /// or a digit is left over.
    public static func decode(_ text: String) -> [UInt8]? {
        try? [UInt8](hex: text)
    }
}
