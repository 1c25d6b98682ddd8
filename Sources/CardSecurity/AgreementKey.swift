import Crypto

/// A key-agreement key (P-256 in the international suite): the chip's static key, generated on the chip at card
/// initialisation and never exported (its point is EF.CHIPKEY, vouched for by the security object), or a
/// terminal's ephemeral key of one chip authentication (`ChipAuthentication`). Descriptions are redacted.
public struct AgreementKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let suite: CryptoSuite
    let key: P256.KeyAgreement.PrivateKey

    /// A fresh key from the system's secure generator.
    public static func random(suite: CryptoSuite = .international) throws(CardSecurityError) -> AgreementKey {
        try suite.requireSupported()
        return AgreementKey(key: P256.KeyAgreement.PrivateKey(), suite: suite)
    }

    init(key: P256.KeyAgreement.PrivateKey, suite: CryptoSuite) {
        self.key = key
        self.suite = suite
    }

    /// A key from its 32-byte private scalar (the form the card keeps in its memory).
    public init(rawRepresentation: [UInt8], suite: CryptoSuite = .international) throws(CardSecurityError) {
        try suite.requireSupported()
        do { key = try P256.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation) } catch {
            throw .malformedKey("not a 32-byte P-256 private key")
        }
        self.suite = suite
    }

    /// The 32-byte private scalar. Never log it.
    public var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }

    /// The public point, as EF.CHIPKEY and the security object hold it.
    public var publicKey: VerifyingKey {
        // The point of a valid private key is a valid public key.
        try! VerifyingKey(x963Representation: Array(key.publicKey.x963Representation), suite: suite)
    }

    /// The x-coordinate of `d · P` for the other side's point `point` (65 bytes, `04 || X || Y`).
    func sharedSecret(with point: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        try Self.agree(key, with: point)
    }

    static func agree(_ key: P256.KeyAgreement.PrivateKey, with point: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        let other: P256.KeyAgreement.PublicKey
        do { other = try P256.KeyAgreement.PublicKey(x963Representation: point) } catch {
            throw .malformedKey("not an uncompressed P-256 point on the curve (65 bytes starting 04)")
        }
        do {
            return try key.sharedSecretFromKeyAgreement(with: other).withUnsafeBytes { Array($0) }
        } catch {
            throw .primitiveFailed("ECDH")
        }
    }

    public var description: String { "AgreementKey(\(suite.rawValue), <private key redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
