import Foundation

/// Text a station writes onto a card and into the registry (names, addresses, authorities): what is
/// read back must be what was entered and what is displayed must be what is stored. So it is Unicode in
/// normal form C (one encoding per character, so the same name always compares equal), has no control
/// characters (U+0000 would cut the text short in C programs) and no bidirectional formatting characters
/// (U+202E, right-to-left override, makes text display in another order than it is stored), and fits
/// its field on the card.
public enum PersonalText {
    /// The card's field sizes in bytes of UTF-8 (CARD-SPEC §5.2, §5.3); a Chinese character takes 3.
    public enum Limit {
        public static let name = 60
        public static let latinName = 60
        public static let householdAddress = 120
        public static let issuingAuthority = 60
        public static let residenceAddress = 128
    }

    /// Checks `text` for `field`, at most `maxBytes` bytes of UTF-8.
    public static func check(_ text: String, field: String, maxBytes: Int) throws(FieldProblem) {
        guard !text.isEmpty else { throw FieldProblem(field, "is empty; enter it.") }
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if let name = bidiControls[scalar.value] {
                throw FieldProblem(field, "holds the bidirectional formatting character \(code(scalar)) (\(name)) at character \(offset + 1), which makes the text display in another order than it is stored; remove it.")
            }
            if scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029 {
                throw FieldProblem(field, "holds the control character \(code(scalar)) at character \(offset + 1); remove it (a field is one line of text).")
            }
        }
        guard text.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(text.unicodeScalars) else {
            throw FieldProblem(field, "is not in Unicode normal form C (it holds characters in decomposed form); enter it again with the station's input method.")
        }
        let bytes = text.utf8.count
        guard bytes <= maxBytes else {
            throw FieldProblem(field, "takes \(bytes) bytes of UTF-8, but the card holds at most \(maxBytes) (\(maxBytes / 3) Chinese characters); shorten it.")
        }
    }

    /// The same for an optional field: absent is fine, empty is not.
    public static func check(_ text: String?, field: String, maxBytes: Int) throws(FieldProblem) {
        guard let text else { return }
        try check(text, field: field, maxBytes: maxBytes)
    }

    /// The bidirectional formatting characters (Unicode's Bidi_Control property), by name.
    static let bidiControls: [UInt32: String] = [
        0x061C: "arabic letter mark", 0x200E: "left-to-right mark", 0x200F: "right-to-left mark",
        0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding", 0x202C: "pop directional formatting",
        0x202D: "left-to-right override", 0x202E: "right-to-left override", 0x2066: "left-to-right isolate",
        0x2067: "right-to-left isolate", 0x2068: "first strong isolate", 0x2069: "pop directional isolate",
    ]

    private static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
