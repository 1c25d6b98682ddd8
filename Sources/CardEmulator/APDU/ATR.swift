/// Why bytes are not a valid ISO/IEC 7816-3 Answer-to-Reset.
public enum ATRError: Error, Hashable, Sendable, CustomStringConvertible {
    case notHex(String)
    case badLength(Int)
    case badInitialCharacter(UInt8)
    case truncated(expected: Int, actual: Int)
    case trailingBytes(expected: Int, actual: Int)
    case badCheckCharacter

    public var description: String {
        switch self {
        case .notHex(let text): "ATR '\(text)' is not hex"
        case .badLength(let n): "an ATR has 2 to 33 bytes, this one has \(n)"
        case .badInitialCharacter(let ts): "ATR starts with \(Hex.encode([ts])); TS must be 3B (direct) or 3F (inverse)"
        case .truncated(let e, let a): "ATR too short: its T0/TDi bytes announce \(e) bytes, it has \(a)"
        case .trailingBytes(let e, let a): "ATR too long: its T0/TDi bytes announce \(e) bytes, it has \(a)"
        case .badCheckCharacter: "ATR check byte TCK is wrong (T0 to TCK must XOR to 00)"
        }
    }
}

/// A validated Answer-to-Reset (ISO/IEC 7816-3 §8.2): TS, T0, interface bytes, historical bytes, TCK.
public struct ATR: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    /// The historical bytes (T1...TK).
    public let historicalBytes: [UInt8]
    /// Protocols indicated by TD1, TD2, ... (T=0 when none is indicated).
    public let protocols: [Int]

    public init(bytes: [UInt8]) throws(ATRError) {
        guard (2...33).contains(bytes.count) else { throw .badLength(bytes.count) }
        guard bytes[0] == 0x3B || bytes[0] == 0x3F else { throw .badInitialCharacter(bytes[0]) }
        var index = 1
        var y = bytes[1] >> 4
        let k = Int(bytes[1] & 0x0F)
        var protocols: [Int] = []
        while true {
            let td = y & 0x8
            index += (y & 1 != 0 ? 1 : 0) + (y & 2 != 0 ? 1 : 0) + (y & 4 != 0 ? 1 : 0)
            guard td != 0 else { break }
            index += 1
            guard index < bytes.count else { throw .truncated(expected: index + 1, actual: bytes.count) }
            y = bytes[index] >> 4
            protocols.append(Int(bytes[index] & 0x0F))
        }
        let needsTCK = protocols.contains { $0 != 0 }
        let expected = index + 1 + k + (needsTCK ? 1 : 0)
        guard bytes.count >= expected else { throw .truncated(expected: expected, actual: bytes.count) }
        guard bytes.count == expected else { throw .trailingBytes(expected: expected, actual: bytes.count) }
        if needsTCK {
            guard bytes[1...].reduce(0, ^) == 0 else { throw .badCheckCharacter }
        }
        self.bytes = bytes
        self.historicalBytes = Array(bytes[(index + 1)..<(index + 1 + k)])
        self.protocols = protocols.isEmpty ? [0] : protocols
    }

    public init(hex: String) throws(ATRError) {
        guard let bytes = Hex.decode(hex) else { throw .notHex(hex) }
        try self.init(bytes: bytes)
    }

    /// A T=1-only ATR (TD1 = 81: T=1, TD2 = 31: TA3 IFSC 254, TB3 BWI 4 / CWI 5) with the given
    /// historical bytes (at most 15) and the computed TCK.
    public static func t1(historicalBytes: [UInt8]) -> ATR {
        precondition(historicalBytes.count <= 15, "an ATR carries at most 15 historical bytes")
        var bytes: [UInt8] = [0x3B, 0x80 | UInt8(historicalBytes.count), 0x81, 0x31, 0xFE, 0x45] + historicalBytes
        bytes.append(bytes[1...].reduce(0, ^))
        // Built to the rules checked by init(bytes:), so this cannot fail.
        return try! ATR(bytes: bytes)
    }

    /// The emulator's default ATR: T=1, and historical bytes in compact-TLV (category 80) announcing
    /// card capabilities `73 F6 21 C0` (selection by full/partial DF name, path, FID; SFI; record
    /// numbers; 1-byte data units; command chaining; extended Lc/Le) and issuer data "PSTN-EMU".
    public static let standard = ATR.t1(
        historicalBytes: [0x80, 0x73, 0xF6, 0x21, 0xC0, 0x58] + Array("PSTN-EMU".utf8))

    public var description: String { Hex.encode(bytes) }
}

extension ATR: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        do {
            try self.init(hex: try c.decode(String.self))
        } catch let error as ATRError {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
