import ISO7816

/// Chip authentication with key agreement (CARD-SECURITY §7; the shape of BSI TR-03110 Chip
/// Authentication v2): the first step of every session. The terminal sends a fresh ephemeral public key
/// and nonce; the chip answers with its static public key (EF.CHIPKEY), its own nonce and a token. Both
/// sides compute the ECDH secret of the ephemeral key and the chip's static key and derive the session's
/// secure-messaging keys from it and both nonces, so only a chip holding the static private key can
/// continue the session. The token is a MAC both sides could compute: nothing the chip says is a
/// transferable proof of where it was. Whether the static key is genuine is checked against the security
/// object (a verifier) or by mutual role authentication inside the session (a station, `RoleAuthentication`).
///
/// GENERAL AUTHENTICATE data `7C { 80 41 PK_eph | 81 08 r_IFD }`, answer
/// `7C { 86 43 EF.CHIPKEY | 82 08 r_ICC | 83 08 T_ICC }`.
public enum ChipAuthentication {
    /// Length of each nonce (r_IFD, r_ICC).
    public static let nonceLength = 8
    /// Length of the chip's token T_ICC.
    public static let tokenLength = 8
    static let tokenLabel = ascii("PS-CHIP")

    /// A fresh nonce from the system's secure generator.
    public static func randomNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Terminal side: the request of one session, holding the ephemeral private key until the answer.
    public struct Request: Sendable, CustomStringConvertible {
        let ephemeral: AgreementKey
        public let terminalNonce: [UInt8]

        /// A fresh ephemeral key of `suite` and a fresh nonce (fixed ones only for test vectors).
        public init(suite: CryptoSuite, ephemeral: AgreementKey? = nil, terminalNonce: [UInt8] = randomNonce()) throws(CardSecurityError) {
            guard terminalNonce.count == nonceLength else {
                throw .invalidLength(field: "terminal nonce", expected: nonceLength, actual: terminalNonce.count)
            }
            if let ephemeral { self.ephemeral = ephemeral } else { self.ephemeral = try AgreementKey.random(suite: suite) }
            self.terminalNonce = terminalNonce
        }

        /// The GENERAL AUTHENTICATE data field.
        public var commandData: [UInt8] {
            TLV(0x7C, TLV(0x80, ephemeral.publicKey.x963Representation).encoded + TLV(0x81, terminalNonce).encoded).encoded
        }

        /// Checks the chip's answer: its token must be the MAC under the keys only a holder of the static
        /// private key for the presented point can derive. Throws `chipAuthenticationFailed` otherwise.
        public func accept(_ responseData: [UInt8]) throws(CardSecurityError) -> ChipSession {
            let fields = try ChipAuthentication.fields(responseData, tags: [0x86, 0x82, 0x83], what: "GENERAL AUTHENTICATE answer")
            let (chipKeyFile, cardNonce, token) = (fields[0], fields[1], fields[2])
            guard cardNonce.count == nonceLength, token.count == tokenLength else {
                throw .chipAuthenticationFailed("the chip's answer has a nonce or token of the wrong length")
            }
            guard let chipKey = try? ChipKeyFile.decode(chipKeyFile), chipKeyFile.count == ChipKeyFile.length else {
                throw .chipAuthenticationFailed("the chip presented no valid chip key")
            }
            guard chipKey.suite == ephemeral.suite else {
                throw .chipAuthenticationFailed("the chip's key is of the \(chipKey.suite) suite, the profile pins \(ephemeral.suite)")
            }
            let secret: [UInt8]
            do { secret = try ephemeral.sharedSecret(with: chipKey.x963Representation) } catch {
                throw .chipAuthenticationFailed("the chip's key is not a point of the curve")
            }
            let session = try ChipSession(
                sharedSecret: secret, suite: ephemeral.suite, chipKeyFile: chipKeyFile, chipPublicKey: chipKey,
                terminalPoint: ephemeral.publicKey.x963Representation, cardNonce: cardNonce, terminalNonce: terminalNonce)
            guard constantTimeEqual(token, try session.token()) else {
                throw .chipAuthenticationFailed("the chip's token does not match: it does not hold the private key of the chip key it presented")
            }
            return session
        }

        public var description: String { "ChipAuthentication.Request(<ephemeral key redacted>)" }
    }

    /// Card side: the answer to GENERAL AUTHENTICATE `commandData` and the session it opens. `chipKeyFile`
    /// is EF.CHIPKEY as stored; `cardNonce` comes from the card's random source.
    public static func respond(
        to commandData: [UInt8], chipKey: AgreementKey, chipKeyFile: [UInt8], cardNonce: [UInt8]
    ) throws(CardSecurityError) -> (responseData: [UInt8], session: ChipSession) {
        let fields = try fields(commandData, tags: [0x80, 0x81], what: "GENERAL AUTHENTICATE data")
        let (terminalPoint, terminalNonce) = (fields[0], fields[1])
        guard terminalNonce.count == nonceLength, cardNonce.count == nonceLength else {
            throw .invalidLength(field: "nonce", expected: nonceLength, actual: terminalNonce.count)
        }
        let secret = try chipKey.sharedSecret(with: terminalPoint)
        let session = try ChipSession(
            sharedSecret: secret, suite: chipKey.suite, chipKeyFile: chipKeyFile, chipPublicKey: chipKey.publicKey,
            terminalPoint: terminalPoint, cardNonce: cardNonce, terminalNonce: terminalNonce)
        let answer = TLV(0x86, chipKeyFile).encoded + TLV(0x82, cardNonce).encoded + TLV(0x83, try session.token()).encoded
        return (TLV(0x7C, answer).encoded, session)
    }

    /// The values of `7C { tags... }`, exactly these tags in this order.
    static func fields(_ bytes: [UInt8], tags: [UInt8], what: String) throws(CardSecurityError) -> [[UInt8]] {
        let outer = try TLV.decodeAll(bytes, what: what)
        guard outer.count == 1, outer[0].tag == [0x7C] else { throw .malformedSecurityObject("\(what) is not one 7C template") }
        let inner = try TLV.decodeAll(outer[0].value, what: what)
        guard inner.map(\.tag) == tags.map({ [$0] }) else {
            throw .malformedSecurityObject("\(what) must hold tags \(tags.hexString) in this order")
        }
        return inner.map(\.value)
    }
}

/// What one chip authentication established, on either side: the session keys and the values role
/// authentication binds itself to (both nonces, the ephemeral point, the chip's point).
public struct ChipSession: Sendable, CustomStringConvertible {
    public let keys: SessionKeys
    /// EF.CHIPKEY as the chip presented it, and its key.
    public let chipKeyFile: [UInt8]
    public let chipPublicKey: VerifyingKey
    let terminalPoint: [UInt8]
    let cardNonce: [UInt8]
    let terminalNonce: [UInt8]

    init(
        sharedSecret: [UInt8], suite: CryptoSuite, chipKeyFile: [UInt8], chipPublicKey: VerifyingKey, terminalPoint: [UInt8],
        cardNonce: [UInt8], terminalNonce: [UInt8]
    ) throws(CardSecurityError) {
        keys = try SessionKeys(sharedSecret: sharedSecret, suite: suite, cardNonce: cardNonce, terminalNonce: terminalNonce)
        self.chipKeyFile = chipKeyFile
        self.chipPublicKey = chipPublicKey
        self.terminalPoint = terminalPoint
        self.cardNonce = cardNonce
        self.terminalNonce = terminalNonce
    }

    /// `T_ICC = CMAC(KS_MAC, "PS-CHIP" || PK_eph)[0..8]`.
    func token() throws(CardSecurityError) -> [UInt8] {
        Array(try BlockCipher.cmac(ChipAuthentication.tokenLabel + terminalPoint, key: keys.macKey).prefix(ChipAuthentication.tokenLength))
    }

    /// What role authentication's cryptograms are computed over (CARD-SECURITY §8):
    /// `serial || key number || key version || r_ICC || r_IFD || x(PK_eph) || x(PK_chip)`.
    func transcript(serial: CardSerial, keyNumber: UInt8, keyVersion: UInt8) -> [UInt8] {
        serial.bytes + [keyNumber, keyVersion] + cardNonce + terminalNonce
            + Array(terminalPoint[1..<33]) + Array(chipPublicKey.x963Representation[1..<33])
    }

    public var description: String { "ChipSession(chip key \(chipPublicKey.keyIdentifier.hexString), <keys redacted>)" }
}

/// The keys and first counter of one secure-messaging session. Redacted in descriptions.
public struct SessionKeys: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let macKey: CardKey
    public let encryptionKey: CardKey
    /// The send sequence counter before the first command (16 bytes, big-endian): zero, since the keys are new.
    public let initialCounter: [UInt8]

    /// `KS_ENC = H(Z || r_ICC || r_IFD || 00000001)[0..16]`, `KS_MAC = H(Z || r_ICC || r_IFD || 00000002)[0..16]`,
    /// `SSC0 = 00 × 16`, with H the suite's digest and Z the ECDH secret (the x-coordinate).
    init(sharedSecret: [UInt8], suite: CryptoSuite, cardNonce: [UInt8], terminalNonce: [UInt8]) throws(CardSecurityError) {
        let input = sharedSecret + cardNonce + terminalNonce
        encryptionKey = try CardKey(bytes: Array(try suite.hash(input + [0, 0, 0, 1]).prefix(CardKey.length)), suite: suite)
        macKey = try CardKey(bytes: Array(try suite.hash(input + [0, 0, 0, 2]).prefix(CardKey.length)), suite: suite)
        initialCounter = Array(repeating: 0, count: 16)
    }

    public var description: String { "SessionKeys(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
