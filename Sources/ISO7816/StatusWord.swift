/// SW1 SW2, with the meaning ISO/IEC 7816-4 gives it. An `Error` so that a card's command handler
/// can refuse a command by throwing the status word it answers with (see `EmulatedCard`).
public struct StatusWord: Error, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let value: UInt16

    public init(_ value: UInt16) { self.value = value }
    public init(sw1: UInt8, sw2: UInt8) { self.value = UInt16(sw1) << 8 | UInt16(sw2) }

    /// Lets a status word be written as the hex an operator reads, e.g. `0x6A82`.
    public init(integerLiteral value: UInt16) { self.init(value) }

    public var sw1: UInt8 { UInt8(value >> 8) }
    public var sw2: UInt8 { UInt8(value & 0xFF) }
    /// SW1 SW2 as they end a response.
    public var bytes: [UInt8] { [sw1, sw2] }

    /// 9000, or 61xx (more data waiting, which the channel collects with GET RESPONSE).
    public var isSuccess: Bool { value == 0x9000 || sw1 == 0x61 }
    /// 62xx/63xx: processed, with a warning.
    public var isWarning: Bool { sw1 == 0x62 || sw1 == 0x63 }

    /// ISO/IEC 7816-4 §5.6 (tables 5 and 6), in words an operator can act on.
    public var meaning: String {
        switch (sw1, sw2) {
        case (0x90, 0x00): return "success"
        case (0x61, let n): return "success, \(n == 0 ? 256 : Int(n)) more response bytes available"
        case (0x62, 0x81): return "warning: part of the returned data may be corrupted"
        case (0x62, 0x82): return "warning: end of file or record reached before reading Ne bytes"
        case (0x62, 0x83): return "warning: selected file deactivated"
        case (0x62, 0x84): return "warning: file control information not formatted"
        case (0x62, 0x85): return "warning: selected file in termination state"
        case (0x62, _): return "warning: non-volatile memory unchanged"
        case (0x63, 0x81): return "warning: file filled up by the last write"
        case (0x63, let x) where x & 0xF0 == 0xC0: return "warning: verification failed, \(x & 0x0F) tries left"
        case (0x63, _): return "warning: non-volatile memory changed"
        case (0x64, _): return "execution error: non-volatile memory unchanged"
        case (0x65, 0x81): return "execution error: memory failure"
        case (0x65, _): return "execution error: non-volatile memory changed"
        case (0x66, _): return "security-related issue"
        case (0x67, 0x00): return "wrong length (Lc or Le)"
        case (0x68, 0x81): return "logical channel not supported"
        case (0x68, 0x82): return "secure messaging not supported"
        case (0x68, 0x83): return "last command of the chain expected"
        case (0x68, 0x84): return "command chaining not supported"
        case (0x68, _): return "functions in CLA not supported"
        case (0x69, 0x81): return "command incompatible with file structure"
        case (0x69, 0x82): return "security status not satisfied"
        case (0x69, 0x83): return "authentication method blocked"
        case (0x69, 0x84): return "reference data not usable"
        case (0x69, 0x85): return "conditions of use not satisfied"
        case (0x69, 0x86): return "command not allowed (no current EF)"
        case (0x69, 0x87): return "expected secure messaging data objects missing"
        case (0x69, 0x88): return "incorrect secure messaging data objects"
        case (0x69, _): return "command not allowed"
        case (0x6A, 0x80): return "incorrect parameters in the command data field"
        case (0x6A, 0x81): return "function not supported"
        case (0x6A, 0x82): return "file or application not found"
        case (0x6A, 0x83): return "record not found"
        case (0x6A, 0x84): return "not enough memory space in the file"
        case (0x6A, 0x85): return "Nc inconsistent with TLV structure"
        case (0x6A, 0x86): return "incorrect parameters P1-P2"
        case (0x6A, 0x87): return "Nc inconsistent with parameters P1-P2"
        case (0x6A, 0x88): return "referenced data or reference data not found"
        case (0x6A, 0x89): return "file already exists"
        case (0x6A, 0x8A): return "DF name already exists"
        case (0x6A, _): return "wrong parameters P1-P2"
        case (0x6B, 0x00): return "wrong parameters P1-P2 (offset outside the file)"
        case (0x6C, let n): return "wrong Le: \(n == 0 ? 256 : Int(n)) bytes available"
        case (0x6D, 0x00): return "instruction code not supported or invalid"
        case (0x6E, 0x00): return "class not supported"
        case (0x6F, 0x00): return "no precise diagnosis"
        default: return "unknown status word"
        }
    }

    public var description: String { "\(bytes.hexString) (\(meaning))" }
}
