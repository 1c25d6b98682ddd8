/// The machine-readable code on the back of the card: a QR code holding the card serial and the permit
/// number, so that a field officer's scanner finds the permit and the chip to read without typing.
///
/// Text format (docs/PRINTING.md): `JZZ1:<serial, 16 upper-case hex digits>:<permit number>`, e.g.
/// `JZZ1:5A4A000000000001:330102202600001`. `JZZ` is 居住证 in pinyin initials, `1` the format version.
/// Only characters of QR's alphanumeric mode when the permit number is digits, so the code stays small.
public struct CardCode: Sendable, Hashable {
    public static let prefix = "JZZ1"

    public let cardSerial: String
    public let permitNumber: String

    public init(cardSerial: String, permitNumber: String) {
        self.cardSerial = cardSerial
        self.permitNumber = permitNumber
    }

    /// The text the QR code holds.
    public var text: String { "\(Self.prefix):\(cardSerial.uppercased()):\(permitNumber)" }

    /// Reads a scanned code; `nil` when it is not a card code of this format.
    public init?(scanned text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix else { return nil }
        let code = CardCode(cardSerial: String(parts[1]), permitNumber: String(parts[2]))
        guard (try? code.validate()) != nil else { return nil }
        self = code
    }

    func validate() throws(CardFaceError) {
        guard cardSerial.count == 16, cardSerial.allSatisfy(\.isHexDigit) else {
            throw .invalidValue(field: "serial", problem: "\"\(cardSerial)\" is not 16 hex digits")
        }
        guard !permitNumber.isEmpty, permitNumber.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ":" }) else {
            throw .invalidValue(field: "permit number", problem: "\"\(permitNumber)\" must be printable ASCII without spaces")
        }
    }
}
