/// The status words a card answers with, by name (ISO/IEC 7816-4 §5.6), so handlers never spell hex.
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
