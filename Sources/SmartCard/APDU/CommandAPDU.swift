/// An ISO/IEC 7816-4 command APDU as a value: header, command data (Nc bytes) and the
/// maximum number of response bytes expected (Ne). The encoding (short or extended,
/// case 1-4) follows from these, so callers never assemble Lc/Le bytes by hand.
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
    /// Which parts a trace must not show (PINs, keys, cryptograms).
    public var redaction: TraceRedaction

    public static let maxData = 65_535
    public static let maxExpected = 65_536

    public init(
        cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8,
        data: [UInt8] = [], ne: Int = 0, redaction: TraceRedaction = []
    ) throws(APDUError) {
        guard data.count <= Self.maxData else { throw .dataTooLong(count: data.count) }
        guard (0...Self.maxExpected).contains(ne) else { throw .expectedLengthOutOfRange(ne) }
        (self.cla, self.ins, self.p1, self.p2) = (cla, ins, p1, p2)
        self.data = data
        self.ne = ne
        self.redaction = redaction
    }

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

    /// The same command with another Ne (the 6Cxx retry, the short-form cap).
    public func expecting(_ ne: Int) -> CommandAPDU {
        var copy = self
        copy.ne = min(max(ne, 0), Self.maxExpected)
        return copy
    }

    /// The bytes on the wire: short form when everything fits, else extended.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [cla, ins, p1, p2]
        if needsExtendedLength {
            if !data.isEmpty {
                bytes += [0x00, UInt8(data.count >> 8), UInt8(data.count & 0xFF)]
                bytes += data
            }
            if ne > 0 {
                let le = ne == 65_536 ? 0 : ne
                if data.isEmpty { bytes.append(0x00) }
                bytes += [UInt8(le >> 8), UInt8(le & 0xFF)]
            }
        } else {
            if !data.isEmpty {
                bytes.append(UInt8(data.count))
                bytes += data
            }
            if ne > 0 { bytes.append(ne == 256 ? 0 : UInt8(ne)) }
        }
        return bytes
    }

    /// Reads an encoded APDU (any case, short or extended) and checks the lengths add up.
    public init(bytes: [UInt8], redaction: TraceRedaction = []) throws(APDUError) {
        guard bytes.count >= 4 else { throw .commandTooShort(count: bytes.count) }
        let body = Array(bytes[4...])
        var data: [UInt8] = []
        var ne = 0
        switch body.count {
        case 0:
            break
        case 1:
            ne = body[0] == 0 ? 256 : Int(body[0])
        case 3 where body[0] == 0:
            let le = Int(body[1]) << 8 | Int(body[2])
            ne = le == 0 ? 65_536 : le
        default:
            if body[0] != 0 {
                let lc = Int(body[0])
                switch body.count - 1 - lc {
                case 0: data = Array(body[1...])
                case 1:
                    data = Array(body[1..<(1 + lc)])
                    ne = body.last! == 0 ? 256 : Int(body.last!)
                default: throw .lengthMismatch(declaredLc: lc, actualBodyCount: body.count - 1)
                }
            } else {
                // Extended form: 00 Lc1 Lc2 data [Le1 Le2].
                guard body.count >= 3 else { throw .lengthMismatch(declaredLc: 0, actualBodyCount: body.count - 1) }
                let lc = Int(body[1]) << 8 | Int(body[2])
                guard lc > 0 else { throw .lengthMismatch(declaredLc: 0, actualBodyCount: body.count - 3) }
                switch body.count - 3 - lc {
                case 0: data = Array(body[3...])
                case 2:
                    data = Array(body[3..<(3 + lc)])
                    let le = Int(body[body.count - 2]) << 8 | Int(body[body.count - 1])
                    ne = le == 0 ? 65_536 : le
                default: throw .lengthMismatch(declaredLc: lc, actualBodyCount: body.count - 3)
                }
            }
        }
        try self.init(cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3], data: data, ne: ne, redaction: redaction)
    }

    /// Reads hex such as `00A4040C023F00`; separators (space, `:`, `-`) are ignored.
    public init(hex: String, redaction: TraceRedaction = []) throws(APDUError) {
        let bytes: [UInt8]
        do { bytes = try [UInt8](hex: hex) } catch { throw .hex(error) }
        try self.init(bytes: bytes, redaction: redaction)
    }

    public var description: String {
        let shown = redaction.contains(.commandData) ? String(repeating: "*", count: data.count * 2) : data.hexString
        return "\([cla, ins, p1, p2].hexString) Nc=\(data.count) \(shown) Ne=\(ne)"
    }
}
