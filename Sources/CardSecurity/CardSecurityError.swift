/// Every way a card-security operation can fail. Descriptions say what was wrong and what to do,
/// and never contain key material, nonces or cryptograms.
public enum CardSecurityError: Error, Equatable, Sendable, CustomStringConvertible {
    case suiteNotSupported(CryptoSuite)
    case invalidKeyLength(expected: Int, actual: Int)
    case invalidLength(field: String, expected: Int, actual: Int)
    case cryptogramMismatch
    /// The card's answer to EXTERNAL AUTHENTICATE is not its cryptogram: it does not hold this card's role key.
    case cardCryptogramMismatch
    /// Chip authentication failed: the chip does not hold the private key of the chip key it presented.
    case chipAuthenticationFailed(String)
    case secureMessagingMalformed(String)
    case secureMessagingObjectsMissing
    case secureMessagingMACMismatch
    case secureMessagingClosed
    case cardRefusedSecureMessaging(statusWord: UInt16)
    case malformedSecurityObject(String)
    case malformedKey(String)
    case malformedCertificate(String)
    case primitiveFailed(String)
    /// The station's key store (a token or a development file) does not hold this key.
    case keyNotHeld(String)
    /// A card serial given as text is not 16 hexadecimal digits.
    case malformedSerial(String)
    /// The station's key token failed; the sentence says which token, which step and what to do.
    case keyStoreFailed(String)

    /// The bare status word a card answers when a protected command fails this way (CARD-SPEC.md §7.17):
    /// `69 87` when the secure-messaging objects are missing, `69 88` when they are wrong; nil otherwise.
    public var secureMessagingStatusWord: UInt16? {
        switch self {
        case .secureMessagingObjectsMissing: 0x6987
        case .secureMessagingMalformed, .secureMessagingMACMismatch, .secureMessagingClosed: 0x6988
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .suiteNotSupported(let suite):
            "The crypto suite \(suite) is not supported yet; use a card profile with the international suite."
        case .invalidKeyLength(let expected, let actual):
            "A key of \(actual) bytes was given where \(expected) bytes are required; check the key file or master-key set."
        case .invalidLength(let field, let expected, let actual):
            "The \(field) has \(actual) bytes but must have \(expected); check what the caller passed."
        case .cryptogramMismatch:
            "The terminal's authentication cryptogram is wrong: the terminal does not hold this card's key for that role."
        case .cardCryptogramMismatch:
            "The card's answer to role authentication is wrong: it does not hold this card's key for that role, so it is not a card the authority issued."
        case .chipAuthenticationFailed(let reason):
            "Chip authentication failed: \(reason). The card is not genuine, or the session was tampered with."
        case .secureMessagingMalformed(let detail):
            "A secure-messaging APDU is malformed (\(detail)); the session is closed, authenticate again."
        case .secureMessagingObjectsMissing:
            "A command that must be protected arrived without its secure-messaging objects (DO'8E'); the session is closed, authenticate again."
        case .secureMessagingMACMismatch:
            "A secure-messaging MAC does not verify: the APDU was altered, replayed or sent out of sequence; the session is closed, authenticate again."
        case .secureMessagingClosed:
            "The secure-messaging session is closed after an earlier failure; authenticate again to open a new one."
        case .cardRefusedSecureMessaging(let statusWord):
            "The card refused a protected command with status \(String(statusWord, radix: 16, uppercase: true)) (6988: MAC or sequence wrong); authenticate again."
        case .malformedSecurityObject(let detail):
            "The card's security object cannot be decoded (\(detail)); the card data is damaged or not from this application."
        case .malformedKey(let detail):
            "A key cannot be read (\(detail)); regenerate it with `permit pki init` or check the file."
        case .malformedCertificate(let detail):
            "A certificate cannot be read (\(detail)); check the certificate file."
        case .primitiveFailed(let detail):
            "A cryptographic primitive failed (\(detail)); this is a bug or a broken crypto library."
        case .malformedSerial(let text):
            "\"\(text)\" is not a card serial: write its 16 hexadecimal digits (8 bytes), for example 5A4A000000000001."
        case .keyNotHeld(let what):
            "This station's keys do not include \(what); use a station whose token holds it, or set the token up again with `permit pki init --token MODULE`."
        case .keyStoreFailed(let sentence):
            sentence
        }
    }
}
