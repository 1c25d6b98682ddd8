/// An SM2 signature, the pair (r, s). The card stores `r || s` (two 32-byte big-endian integers, 64 bytes,
/// as in the international suite); certificates, CMS and most libraries use DER, ECDSA-Sig-Value ::=
/// SEQUENCE { r INTEGER, s INTEGER } (GB/T 35276-2017 §7.3).
public struct SM2Signature: Sendable, Hashable {
    public static let rawLength = 64

    /// `r || s`, 64 bytes.
    public let rawRepresentation: [UInt8]

    /// A signature from `r || s`. Values out of range (0, or n and above) make a signature that never verifies.
    public init(rawRepresentation: [UInt8]) throws(NationalCryptoError) {
        guard rawRepresentation.count == Self.rawLength else {
            throw .malformedSignature("\(rawRepresentation.count) bytes where r || s has 64")
        }
        self.rawRepresentation = rawRepresentation
    }

    /// A signature from its DER encoding. Only strict DER is accepted (minimal lengths and integers, nothing
    /// after the sequence), so one signature has exactly one encoding.
    public init(derRepresentation: [UInt8]) throws(NationalCryptoError) {
        var reader = DERReader(bytes: derRepresentation)
        guard let sequenceLength = reader.header(tag: 0x30), sequenceLength == reader.remaining else {
            throw .malformedSignature("not one DER SEQUENCE")
        }
        guard let r = reader.unsignedInteger(), let s = reader.unsignedInteger(), reader.remaining == 0 else {
            throw .malformedSignature("the SEQUENCE does not hold exactly two non-negative INTEGERs of at most 256 bits in DER")
        }
        rawRepresentation = r + s
    }

    /// The DER encoding.
    public var derRepresentation: [UInt8] {
        let body = Self.derInteger(rawRepresentation[0..<32]) + Self.derInteger(rawRepresentation[32..<64])
        return [0x30, UInt8(body.count)] + body
    }

    /// A non-negative integer in DER: no leading zero bytes, one 00 before a byte with the high bit set.
    private static func derInteger(_ magnitude: ArraySlice<UInt8>) -> [UInt8] {
        var content = Array(magnitude.drop { $0 == 0 })
        if content.first.map({ $0 >= 0x80 }) ?? true { content.insert(0x00, at: 0) }
        return [0x02, UInt8(content.count)] + content
    }
}

/// Reads the short-form DER of an SM2 signature (every length is below 128).
private struct DERReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    /// The length after `tag`, short form only, if it fits in what is left.
    mutating func header(tag: UInt8) -> Int? {
        guard remaining >= 2, bytes[offset] == tag, bytes[offset + 1] < 0x80 else { return nil }
        let length = Int(bytes[offset + 1])
        offset += 2
        return length <= remaining ? length : nil
    }

    /// An INTEGER in minimal form, non-negative, at most 32 bytes of magnitude: its 32-byte big-endian value.
    mutating func unsignedInteger() -> [UInt8]? {
        guard let length = header(tag: 0x02), length > 0 else { return nil }
        let content = bytes[offset..<(offset + length)]
        offset += length
        let first = content[content.startIndex]
        guard first < 0x80 else { return nil }  // negative
        if length > 1, first == 0x00, content[content.startIndex + 1] < 0x80 { return nil }  // not minimal
        let magnitude = content.drop { $0 == 0 }
        guard magnitude.count <= 32 else { return nil }
        return [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude
    }
}
