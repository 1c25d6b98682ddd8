/// An ISO/IEC 7816-4 command APDU as a value: header, command data (Nc bytes), the maximum number
/// of response bytes expected (Ne) and the length form (short or extended) it travels in. The host
/// builds commands from these, so callers never assemble Lc/Le bytes by hand; the card keeps the form
/// a command arrived in, because it answers an extended command differently.
public struct CommandAPDU: Hashable, Sendable, CustomStringConvertible {
    /// The four ISO cases, named by what travels in each direction.
    public enum Case: Int, Sendable {
        /// No data, no response data.
        case one = 1
        /// No data, response data expected.
        case two = 2
        /// Data, no response data.
        case three = 3
        /// Data and response data.
        case four = 4
    }

    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    public private(set) var data: [UInt8]
    /// Maximum response data length: 0 means none expected; 256 is "Le = 00" in short form,
    /// 65,536 is "Le = 0000" in extended form.
    public private(set) var ne: Int
    /// Whether Lc/Le travel in the extended (3-byte / 2-byte) form: always when Nc or Ne do not fit
    /// the short form, and when a command arrived that way.
    public private(set) var isExtended: Bool
    /// Which parts a trace must not show (PINs, keys, cryptograms).
    public var redaction: TraceRedaction

    public static let maxData = 65_535
    public static let maxExpected = 65_536

    /// A command to send, in the shortest form that fits; sizes beyond the standard are an `APDUError`.
    public init(
        cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8,
        data: [UInt8] = [], ne: Int = 0, redaction: TraceRedaction = []
    ) throws(APDUError) {
        guard data.count <= Self.maxData else { throw .dataTooLong(count: data.count) }
        guard (0...Self.maxExpected).contains(ne) else { throw .expectedLengthOutOfRange(ne) }
        self.init(cla: cla, ins: ins, p1: p1, p2: p2, data: data, ne: ne, isExtended: false)
        self.redaction = redaction
    }

    /// A command whose sizes are already known to be valid (the card rebuilding what it received),
    /// in the extended form when `isExtended` or when Nc or Ne need it. Sizes beyond the standard trap.
    public init(cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], ne: Int = 0, isExtended: Bool) {
        precondition(data.count <= Self.maxData && (0...Self.maxExpected).contains(ne), "Nc or Ne beyond ISO/IEC 7816-4")
        (self.cla, self.ins, self.p1, self.p2) = (cla, ins, p1, p2)
        self.data = data
        self.ne = ne
        self.isExtended = isExtended || data.count > 255 || ne > 256
        self.redaction = []
    }

    /// CLA INS P1 P2.
    public var header: [UInt8] { [cla, ins, p1, p2] }

    public var isoCase: Case {
        switch (data.isEmpty, ne == 0) {
        case (true, true): .one
        case (true, false): .two
        case (false, true): .three
        case (false, false): .four
        }
    }

    /// True when Nc or Ne do not fit the short form.
    public var needsExtendedLength: Bool { data.count > 255 || ne > 256 }

    /// The same command with another Ne (the 6Cxx retry, the short-form cap), in the shortest form
    /// that fits: a retry is a new command.
    public func expecting(_ ne: Int) -> CommandAPDU {
        var copy = self
        copy.ne = min(max(ne, 0), Self.maxExpected)
        copy.isExtended = copy.needsExtendedLength
        return copy
    }

    /// The bytes on the wire, in the form `isExtended` says.
    public var bytes: [UInt8] {
        var out = header
        if isExtended {
            if !data.isEmpty { out += [0x00, UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data }
            if ne > 0 {
                if data.isEmpty { out.append(0x00) }
                out += [UInt8((ne >> 8) & 0xFF), UInt8(ne & 0xFF)]   // 65,536 is 00 00
            }
        } else {
            if !data.isEmpty { out += [UInt8(data.count)] + data }
            if ne > 0 { out.append(UInt8(ne & 0xFF)) }               // 256 is 00
        }
        return out
    }

    public var description: String {
        let shown = redaction.contains(.commandData) ? String(repeating: "*", count: data.count * 2) : data.hexString
        return "\(header.hexString) Nc=\(data.count) \(shown) Ne=\(ne)"
    }
}
