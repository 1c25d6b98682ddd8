/// An ISO/IEC 7816-4 status word (SW1 SW2). Thrown by command handlers to refuse a command:
/// a thrown status word means "nothing this command did is kept" (see `EmulatedCard`).
public struct StatusWord: Error, Hashable, Sendable, CustomStringConvertible {
    public let value: UInt16

    public init(_ value: UInt16) { self.value = value }
    public init(sw1: UInt8, sw2: UInt8) { self.value = UInt16(sw1) << 8 | UInt16(sw2) }

    public var sw1: UInt8 { UInt8(value >> 8) }
    public var sw2: UInt8 { UInt8(value & 0xFF) }
    public var bytes: [UInt8] { [sw1, sw2] }

    public var description: String {
        let hex = Hex.encode(bytes)
        if let meaning = meaning { return "\(hex) (\(meaning))" }
        return hex
    }

    /// The ISO meaning, for logs and test failure messages.
    public var meaning: String? {
        switch sw1 {
        case 0x61: return "\(sw2 == 0 ? "256 or more" : String(sw2)) response bytes still available (GET RESPONSE)"
        case 0x6C: return "wrong Le: the exact length is \(sw2 == 0 ? 256 : Int(sw2))"
        case 0x63 where sw2 & 0xF0 == 0xC0: return "verification failed, \(sw2 & 0x0F) tries left"
        default: return Self.meanings[value]
        }
    }

    private static let meanings: [UInt16: String] = [
        0x9000: "success",
        0x6282: "end of file or record reached before reading Ne bytes",
        0x6300: "verification failed",
        0x6581: "memory failure",
        0x6700: "wrong length",
        0x6881: "logical channel not supported",
        0x6882: "secure messaging not supported",
        0x6883: "last command of the chain expected",
        0x6884: "command chaining not supported",
        0x6981: "command incompatible with file structure",
        0x6982: "security status not satisfied",
        0x6983: "authentication method blocked",
        0x6984: "reference data not usable",
        0x6985: "conditions of use not satisfied",
        0x6986: "command not allowed (no current EF)",
        0x6987: "expected secure messaging data objects missing",
        0x6988: "incorrect secure messaging data objects",
        0x6A80: "incorrect parameters in the data field",
        0x6A81: "function not supported",
        0x6A82: "file or application not found",
        0x6A83: "record not found",
        0x6A84: "not enough memory space in the file",
        0x6A86: "incorrect parameters P1-P2",
        0x6A87: "Nc inconsistent with P1-P2",
        0x6A88: "referenced data not found",
        0x6A89: "file already exists",
        0x6B00: "wrong parameters (offset outside the EF)",
        0x6D00: "instruction code not supported or invalid",
        0x6E00: "class not supported",
        0x6F00: "no precise diagnosis",
    ]
}

extension StatusWord {
    public static let success = StatusWord(0x9000)
    public static let endOfFileReached = StatusWord(0x6282)
    public static let verificationFailed = StatusWord(0x6300)
    public static let memoryFailure = StatusWord(0x6581)
    public static let wrongLength = StatusWord(0x6700)
    public static let logicalChannelNotSupported = StatusWord(0x6881)
    public static let secureMessagingNotSupported = StatusWord(0x6882)
    public static let lastCommandOfChainExpected = StatusWord(0x6883)
    public static let commandChainingNotSupported = StatusWord(0x6884)
    public static let incompatibleFileStructure = StatusWord(0x6981)
    public static let securityStatusNotSatisfied = StatusWord(0x6982)
    public static let authenticationMethodBlocked = StatusWord(0x6983)
    public static let referenceDataNotUsable = StatusWord(0x6984)
    public static let conditionsOfUseNotSatisfied = StatusWord(0x6985)
    public static let noCurrentEF = StatusWord(0x6986)
    public static let secureMessagingObjectsMissing = StatusWord(0x6987)
    public static let secureMessagingObjectsIncorrect = StatusWord(0x6988)
    public static let incorrectData = StatusWord(0x6A80)
    public static let functionNotSupported = StatusWord(0x6A81)
    public static let fileNotFound = StatusWord(0x6A82)
    public static let recordNotFound = StatusWord(0x6A83)
    public static let notEnoughMemory = StatusWord(0x6A84)
    public static let incorrectP1P2 = StatusWord(0x6A86)
    public static let lcInconsistentWithP1P2 = StatusWord(0x6A87)
    public static let referencedDataNotFound = StatusWord(0x6A88)
    public static let fileAlreadyExists = StatusWord(0x6A89)
    public static let wrongOffset = StatusWord(0x6B00)
    public static let instructionNotSupported = StatusWord(0x6D00)
    public static let classNotSupported = StatusWord(0x6E00)
    public static let noPreciseDiagnosis = StatusWord(0x6F00)

    /// 6Cxx: the command must be re-sent with Le = `exactLength` (256 is sent as 00).
    public static func wrongLe(exactLength: Int) -> StatusWord {
        StatusWord(sw1: 0x6C, sw2: UInt8(truncatingIfNeeded: exactLength))
    }

    /// 61xx: `remaining` more bytes wait for GET RESPONSE (00 when 256 or more).
    public static func bytesRemaining(_ remaining: Int) -> StatusWord {
        StatusWord(sw1: 0x61, sw2: remaining >= 256 ? 0 : UInt8(remaining))
    }

    /// 63Cx: a verification failed and `triesLeft` tries remain.
    public static func verificationFailed(triesLeft: Int) -> StatusWord {
        StatusWord(sw1: 0x63, sw2: 0xC0 | UInt8(min(triesLeft, 15)))
    }
}
