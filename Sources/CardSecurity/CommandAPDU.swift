/// The four header bytes of a command APDU.
public struct CommandHeader: Sendable, Hashable {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8

    public init(cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
    }

    public var bytes: [UInt8] { [cla, ins, p1, p2] }
}

/// A command before protection (terminal side) or after verification (card side).
public struct PlainCommand: Sendable, Equatable {
    public var header: CommandHeader
    public var data: [UInt8]
    /// Ne: the number of response bytes expected (1...65536), or nil when no data is expected.
    public var expectedLength: Int?

    public init(header: CommandHeader, data: [UInt8] = [], expectedLength: Int? = nil) {
        self.header = header
        self.data = data
        self.expectedLength = expectedLength
    }
}

/// A command under secure messaging: CLA with bits `0C` set and a body of data objects ending in DO'8E'.
public struct ProtectedCommand: Sendable, Equatable {
    public var header: CommandHeader
    /// The data field: `[DO'81' | DO'87'] [DO'97'] DO'8E'`.
    public var body: [UInt8]

    /// Whether the protected answer may exceed 256 bytes, so the APDU needs an extended Le.
    public var expectsLongResponse: Bool

    /// The largest plain Ne whose protected answer (data object, DO'99', DO'8E', encrypted padding
    /// included) always fits in a short response of 256 bytes.
    public static let largestShortResponse = 223

    public init(header: CommandHeader, body: [UInt8], expectsLongResponse: Bool = false) {
        self.header = header
        self.body = body
        self.expectsLongResponse = expectsLongResponse
    }

    /// The APDU bytes: short form when the body fits in 255 bytes and the answer in 256, extended form
    /// otherwise. Le is always present (`00` or `00 00`) because every protected response carries
    /// DO'99' and DO'8E'.
    public func encoded() -> [UInt8] {
        if body.count <= 0xFF && !expectsLongResponse {
            return header.bytes + [UInt8(body.count)] + body + [0x00]
        }
        return header.bytes + [0x00, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body + [0x00, 0x00]
    }

    /// Parses a protected command APDU as `encoded()` builds it (Le present and zero, short or
    /// extended); the card side's entry point.
    public init(apdu: [UInt8]) throws(CardSecurityError) {
        guard apdu.count > 5 else { throw .secureMessagingMalformed("APDU shorter than a protected command") }
        let header = CommandHeader(cla: apdu[0], ins: apdu[1], p1: apdu[2], p2: apdu[3])
        let rest = Array(apdu[4...])
        if rest[0] != 0 {
            let length = Int(rest[0])
            guard rest.count == 2 + length, rest[1 + length] == 0 else {
                throw .secureMessagingMalformed("Lc does not match the APDU length, or Le is not 00")
            }
            self.init(header: header, body: Array(rest[1...length]))
            return
        }
        guard rest.count >= 3 else { throw .secureMessagingMalformed("truncated extended Lc") }
        let length = Int(rest[1]) << 8 | Int(rest[2])
        guard length > 0, rest.count == 5 + length, rest[3 + length] == 0, rest[4 + length] == 0 else {
            throw .secureMessagingMalformed("extended Lc does not match the APDU length, or Le is not 00 00")
        }
        self.init(header: header, body: Array(rest[3..<(3 + length)]), expectsLongResponse: true)
    }
}
