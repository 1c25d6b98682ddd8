/// One message from vpcd to the card. vpcd frames every message as a 2-byte big-endian length and
/// a payload; a 1-byte payload is a control code, a longer one a command APDU.
public enum VPCDMessage: Hashable, Sendable {
    case powerOff            // 00
    case powerOn             // 01
    case reset               // 02, no reply
    case getATR              // 04, reply: the ATR
    case unknownControl(UInt8)
    case apdu([UInt8])

    public init(payload: [UInt8]) {
        guard payload.count == 1 else {
            self = .apdu(payload)
            return
        }
        switch payload[0] {
        case 0x00: self = .powerOff
        case 0x01: self = .powerOn
        case 0x02: self = .reset
        case 0x04: self = .getATR
        case let code: self = .unknownControl(code)
        }
    }
}

/// The vpcd framing: encoding replies, and collecting frames from bytes that arrive in any split.
public struct VPCDFrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// A frame for `payload` (at most 65535 bytes).
    public static func encode(_ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= 0xFFFF, "a vpcd frame carries at most 65535 bytes")
        return [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
    }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete payload, or nil until more bytes arrive.
    public mutating func nextPayload() -> [UInt8]? {
        guard buffer.count - start >= 2 else { return nil }
        let length = Int(buffer[start]) << 8 | Int(buffer[start + 1])
        guard buffer.count - start - 2 >= length else { return nil }
        let payload = Array(buffer[(start + 2)..<(start + 2 + length)])
        start += 2 + length
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        return payload
    }

    /// Bytes received but not yet part of a complete frame.
    public var bufferedByteCount: Int { buffer.count - start }
}
