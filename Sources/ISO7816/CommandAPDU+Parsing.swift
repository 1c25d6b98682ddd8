/// Reading a command from bytes: one parser, with the error each side needs. The station gets a
/// precise `APDUError` (what was wrong, where); the card gets the status word it answers with.
extension CommandAPDU {
    /// Reads an encoded command to send (any case, short or extended) and checks the lengths add up.
    /// It is sent again in the shortest form that fits.
    public init(bytes: [UInt8], redaction: TraceRedaction = []) throws(APDUError) {
        let parts = try Self.parse(bytes)
        self.init(cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3], data: parts.data, ne: parts.ne, isExtended: false)
        self.redaction = redaction
    }

    /// Reads hex such as `00A4040C023F00`; separators (space, `:`, `-`) are ignored.
    public init(hex: String, redaction: TraceRedaction = []) throws(APDUError) {
        let bytes: [UInt8]
        do { bytes = try [UInt8](hex: hex) } catch { throw .hex(error) }
        try self.init(bytes: bytes, redaction: redaction)
    }

    /// Reads a command as the card receives it (ISO/IEC 7816-3 §12.1: cases 1, 2S/2E, 3S/3E, 4S/4E),
    /// keeping the form it arrived in; length fields that do not match the byte count are `67 00`.
    public init(received bytes: [UInt8]) throws(StatusWord) {
        let parts: (data: [UInt8], ne: Int, isExtended: Bool)
        do { parts = try Self.parse(bytes) } catch { throw .wrongLength }
        self.init(cla: bytes[0], ins: bytes[1], p1: bytes[2], p2: bytes[3], data: parts.data, ne: parts.ne,
                  isExtended: parts.isExtended)
    }

    /// The body after the header: data, Ne and whether Lc/Le came in the extended form.
    private static func parse(_ bytes: [UInt8]) throws(APDUError) -> (data: [UInt8], ne: Int, isExtended: Bool) {
        guard bytes.count >= 4 else { throw .commandTooShort(count: bytes.count) }
        let body = Array(bytes[4...])
        switch body.count {
        case 0:                                                        // case 1
            return ([], 0, false)
        case 1:                                                        // case 2S
            return ([], body[0] == 0 ? 256 : Int(body[0]), false)
        case 3 where body[0] == 0:                                     // case 2E
            let le = Int(body[1]) << 8 | Int(body[2])
            return ([], le == 0 ? 65_536 : le, true)
        default:
            if body[0] != 0 {                                          // case 3S / 4S
                let lc = Int(body[0])
                switch body.count - 1 - lc {
                case 0: return (Array(body[1...]), 0, false)
                case 1:
                    let le = Int(body[body.count - 1])
                    return (Array(body[1..<(1 + lc)]), le == 0 ? 256 : le, false)
                default: throw .lengthMismatch(declaredLc: lc, actualBodyCount: body.count - 1)
                }
            }
            // Extended form: 00 Lc1 Lc2 data [Le1 Le2]; an extended Lc of 0 is invalid.
            guard body.count >= 3 else { throw .lengthMismatch(declaredLc: 0, actualBodyCount: body.count - 1) }
            let lc = Int(body[1]) << 8 | Int(body[2])
            guard lc > 0 else { throw .lengthMismatch(declaredLc: 0, actualBodyCount: body.count - 3) }
            switch body.count - 3 - lc {
            case 0: return (Array(body[3...]), 0, true)                // case 3E
            case 2:                                                    // case 4E
                let le = Int(body[body.count - 2]) << 8 | Int(body[body.count - 1])
                return (Array(body[3..<(3 + lc)]), le == 0 ? 65_536 : le, true)
            default: throw .lengthMismatch(declaredLc: lc, actualBodyCount: body.count - 3)
            }
        }
    }
}
