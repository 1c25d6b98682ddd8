import ISO7816

/// The card's serial number: 8 bytes, unique per card, written at personalisation and readable by anyone.
/// It is the diversification context of every role key and is bound into every cryptogram and signature,
/// so keys and signatures of one card are useless on another.
public struct CardSerial: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let length = 8

    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CardSecurityError) {
        guard bytes.count == Self.length else {
            throw .invalidLength(field: "card serial", expected: Self.length, actual: bytes.count)
        }
        self.bytes = bytes
    }

    /// A serial from 16 hex digits, as printed on the card face and in the registry.
    public init(hex: String) throws(CardSecurityError) {
        guard hex.count == 2 * Self.length, let bytes = Hex.decode(hex) else { throw .malformedSerial(hex) }
        try self.init(bytes: bytes)
    }

    public var description: String { bytes.hexString }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(hex: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not 16 hex digits"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes.hexString)
    }
}
