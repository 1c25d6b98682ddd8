/// Terminal authentication: the card proves nothing here, the terminal proves it holds this card's
/// diversified key for a role (GET CHALLENGE, then EXTERNAL AUTHENTICATE), and both sides derive
/// fresh session keys and the first send sequence counter from the two nonces.
public enum TerminalAuthentication {
    /// Length of the card nonce (RND.ICC, from GET CHALLENGE) and of the terminal nonce (RND.IFD).
    public static let nonceLength = 8
    /// Length of the EXTERNAL AUTHENTICATE cryptogram (a full AES-CMAC).
    public static let cryptogramLength = 16
    /// Length of the EXTERNAL AUTHENTICATE data field: RND.IFD || cryptogram.
    public static let dataLength = nonceLength + cryptogramLength

    static let cryptogramPrefix = ascii("PS-TAUTH")
    static let macKeyLabel = ascii("PS-SMAC")
    static let encryptionKeyLabel = ascii("PS-SENC")

    /// A fresh nonce from the system's secure generator (card side: GET CHALLENGE; terminal side: RND.IFD).
    public static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// `CMAC(K_role, "PS-TAUTH" || RND.IFD || RND.ICC || serial)`, 16 bytes.
    public static func cryptogram(
        roleKey: CardKey, terminalNonce: [UInt8], cardNonce: [UInt8], serial: CardSerial
    ) throws(CardSecurityError) -> [UInt8] {
        try checkNonce(terminalNonce, field: "terminal nonce")
        try checkNonce(cardNonce, field: "card nonce")
        return try BlockCipher.cmac(cryptogramPrefix + terminalNonce + cardNonce + serial.bytes, key: roleKey)
    }

    /// Terminal side: the EXTERNAL AUTHENTICATE data field and the session keys it opens.
    public static func authenticate(
        roleKey: CardKey, cardNonce: [UInt8], serial: CardSerial, terminalNonce: [UInt8] = randomNonce()
    ) throws(CardSecurityError) -> (commandData: [UInt8], sessionKeys: SessionKeys) {
        let proof = try cryptogram(roleKey: roleKey, terminalNonce: terminalNonce, cardNonce: cardNonce, serial: serial)
        let keys = try SessionKeys(roleKey: roleKey, cardNonce: cardNonce, terminalNonce: terminalNonce)
        return (terminalNonce + proof, keys)
    }

    /// Card side: checks the EXTERNAL AUTHENTICATE data against the card's key for the role named in P2
    /// and the nonce it gave in GET CHALLENGE (which it must then forget, so a nonce is used once).
    public static func verify(
        commandData: [UInt8], roleKey: CardKey, cardNonce: [UInt8], serial: CardSerial
    ) throws(CardSecurityError) -> SessionKeys {
        guard commandData.count == dataLength else {
            throw .invalidLength(field: "EXTERNAL AUTHENTICATE data", expected: dataLength, actual: commandData.count)
        }
        let terminalNonce = Array(commandData.prefix(nonceLength))
        let expected = try cryptogram(roleKey: roleKey, terminalNonce: terminalNonce, cardNonce: cardNonce, serial: serial)
        guard constantTimeEqual(expected, Array(commandData.suffix(cryptogramLength))) else {
            throw .cryptogramMismatch
        }
        return try SessionKeys(roleKey: roleKey, cardNonce: cardNonce, terminalNonce: terminalNonce)
    }

    private static func checkNonce(_ nonce: [UInt8], field: String) throws(CardSecurityError) {
        guard nonce.count == nonceLength else {
            throw .invalidLength(field: field, expected: nonceLength, actual: nonce.count)
        }
    }
}

/// The keys and first counter of one secure-messaging session. Redacted in descriptions.
public struct SessionKeys: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let macKey: CardKey
    public let encryptionKey: CardKey
    /// The send sequence counter before the first command (16 bytes, big-endian).
    public let initialCounter: [UInt8]

    /// `KS_MAC = KDF(K_role, "PS-SMAC", RND.ICC || RND.IFD)`, `KS_ENC = KDF(K_role, "PS-SENC", RND.ICC || RND.IFD)`,
    /// `SSC0 = 00×8 || RND.ICC[4..8] || RND.IFD[4..8]`.
    public init(roleKey: CardKey, cardNonce: [UInt8], terminalNonce: [UInt8]) throws(CardSecurityError) {
        let context = cardNonce + terminalNonce
        macKey = try KeyDerivation.derive(from: roleKey, label: TerminalAuthentication.macKeyLabel, context: context)
        encryptionKey = try KeyDerivation.derive(
            from: roleKey, label: TerminalAuthentication.encryptionKeyLabel, context: context)
        initialCounter = Array(repeating: 0, count: 8) + cardNonce.suffix(4) + terminalNonce.suffix(4)
    }

    public var description: String { "SessionKeys(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
