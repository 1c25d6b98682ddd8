/// Why bytes or text could not be read as an APDU: what was wrong and where.
public enum APDUError: Error, Equatable, Sendable, CustomStringConvertible {
    case hex(HexError)
    /// Fewer than the 4 header bytes CLA INS P1 P2.
    case commandTooShort(count: Int)
    /// The length byte(s) announce a body that does not match the bytes that follow.
    case lengthMismatch(declaredLc: Int, actualBodyCount: Int)
    /// Command data beyond 65,535 bytes cannot be encoded, even with extended length.
    case dataTooLong(count: Int)
    /// Ne must be between 0 and 65,536.
    case expectedLengthOutOfRange(Int)
    /// A response needs at least SW1 SW2.
    case responseTooShort(count: Int)

    public var description: String {
        switch self {
        case .hex(let error):
            "not valid hex: \(error)"
        case .commandTooShort(let count):
            "a command APDU needs at least 4 bytes (CLA INS P1 P2), got \(count)"
        case .lengthMismatch(let declared, let actual):
            "the length byte(s) announce \(declared) data bytes but \(actual) bytes follow the header"
                + " (check Lc, and Le at the end)"
        case .dataTooLong(let count):
            "\(count) data bytes do not fit one APDU (at most 65535, extended length)"
        case .expectedLengthOutOfRange(let ne):
            "expected response length \(ne) is out of range (0...65536)"
        case .responseTooShort(let count):
            "a response needs at least the two status bytes SW1 SW2, got \(count) byte\(count == 1 ? "" : "s")"
        }
    }
}
