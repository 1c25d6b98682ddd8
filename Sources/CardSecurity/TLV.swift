/// The BER-TLV subset this application uses (ISO/IEC 7816-4 §5.2): one- or two-byte tags,
/// definite lengths in one (`00`–`7F`), two (`81 xx`) or three (`82 xx xx`) bytes.
public struct TLV: Sendable, Equatable {
    public var tag: [UInt8]
    public var value: [UInt8]

    public init(tag: [UInt8], value: [UInt8]) {
        self.tag = tag
        self.value = value
    }

    public init(_ tag: UInt8, _ value: [UInt8]) {
        self.init(tag: [tag], value: value)
    }

    /// Tag, length and value bytes.
    public var encoded: [UInt8] { tag + Self.encodeLength(value.count) + value }

    static func encodeLength(_ length: Int) -> [UInt8] {
        switch length {
        case ..<0x80: [UInt8(length)]
        case ..<0x100: [0x81, UInt8(length)]
        default: [0x82, UInt8(length >> 8), UInt8(length & 0xFF)]
        }
    }

    /// Decodes a concatenation of TLVs that must fill `bytes` exactly; `what` names the structure in errors.
    public static func decodeAll(_ bytes: [UInt8], what: String) throws(CardSecurityError) -> [TLV] {
        var objects: [TLV] = []
        var index = 0
        while index < bytes.count {
            let (object, next) = try decodeOne(bytes, at: index, what: what)
            objects.append(object)
            index = next
        }
        return objects
    }

    /// Decodes the TLV starting at `start`; returns it and the index just past it.
    public static func decodeOne(_ bytes: [UInt8], at start: Int, what: String) throws(CardSecurityError) -> (TLV, Int) {
        var index = start
        func fail(_ detail: String) -> CardSecurityError { .malformedSecurityObject("\(what): \(detail) at byte \(index)") }
        guard index < bytes.count else { throw fail("missing tag") }
        var tag = [bytes[index]]
        index += 1
        if tag[0] & 0x1F == 0x1F {
            guard index < bytes.count else { throw fail("truncated tag") }
            tag.append(bytes[index])
            index += 1
        }
        guard index < bytes.count else { throw fail("missing length") }
        var length = Int(bytes[index])
        index += 1
        if length > 0x7F {
            let count = length & 0x7F
            guard (1...2).contains(count), index + count <= bytes.count else { throw fail("bad length field") }
            length = bytes[index..<(index + count)].reduce(0) { $0 << 8 | Int($1) }
            index += count
        }
        guard index + length <= bytes.count else { throw fail("value runs past the end") }
        return (TLV(tag: tag, value: Array(bytes[index..<(index + length)])), index + length)
    }
}
