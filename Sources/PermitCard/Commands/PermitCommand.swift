import ISO7816

/// The instructions of the permit application (CARD-SPEC §7) by their INS byte, with the names the
/// spec, the errors and the APDU budget use.
public enum PermitInstruction: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case select = 0xA4
    case readBinary = 0xB0
    case readRecord = 0xB2
    case updateBinary = 0xD6
    case updateRecord = 0xDC
    case appendRecord = 0xE2
    case generalAuthenticate = 0x86
    case externalAuthenticate = 0x82
    case getData = 0xCA
    case verify = 0x20
    case changeReferenceData = 0x24
    case resetRetryCounter = 0x2C
    case putKey = 0xD8
    case activateFile = 0x44

    public var description: String {
        switch self {
        case .select: "SELECT"
        case .readBinary: "READ BINARY"
        case .readRecord: "READ RECORD"
        case .updateBinary: "UPDATE BINARY"
        case .updateRecord: "UPDATE RECORD"
        case .appendRecord: "APPEND RECORD"
        case .generalAuthenticate: "GENERAL AUTHENTICATE"
        case .externalAuthenticate: "EXTERNAL AUTHENTICATE"
        case .getData: "GET DATA"
        case .verify: "VERIFY"
        case .changeReferenceData: "CHANGE REFERENCE DATA"
        case .resetRetryCounter: "RESET RETRY COUNTER"
        case .putKey: "PUT KEY"
        case .activateFile: "ACTIVATE FILE"
        }
    }

    /// The short identifier of the file a command names in P1-P2, when it names one that way.
    public static func shortFileIdentifier(ins: UInt8, p1: UInt8, p2: UInt8) -> UInt8? {
        switch PermitInstruction(rawValue: ins) {
        case .readBinary?, .updateBinary?: p1 & 0x80 != 0 ? p1 & 0x1F : nil
        case .readRecord?, .updateRecord?, .appendRecord?: p2 >> 3
        default: nil
        }
    }
}

/// One command of the application as an operation sends it: the plain APDU, its name for errors, and
/// whether it travels under secure messaging. `ApplicationSession.exchange` is the one place that wraps it.
struct PermitCommand: Sendable {
    enum Protection: Sendable, Hashable {
        /// SELECT and GENERAL AUTHENTICATE: the only plain commands of protocol v2.
        case plain
        /// Under the session's secure messaging, data encrypted (DO'87') and MACed.
        case secure
    }

    let name: String
    let apdu: CommandAPDU
    let protection: Protection
}
