import ISO7816
import Crypto

/// A private signing key (chip key, document signer, station): ECDSA P-256 in the international suite.
/// Its descriptions are redacted; the raw and PEM forms exist only to store it (card key file, 0600 file).
public struct SigningKey: MessageSigner, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let suite: CryptoSuite
    let key: P256.Signing.PrivateKey

    init(key: P256.Signing.PrivateKey) {
        self.key = key
        self.suite = .international
    }

    /// A fresh key from the system's secure generator.
    public static func random(suite: CryptoSuite = .international) throws(CardSecurityError) -> SigningKey {
        try suite.requireSupported()
        return SigningKey(key: P256.Signing.PrivateKey())
    }

    /// A key from its 32-byte private scalar (the form the card keeps in its chip-key file).
    public init(rawRepresentation: [UInt8], suite: CryptoSuite = .international) throws(CardSecurityError) {
        try suite.requireSupported()
        do {
            key = try P256.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        } catch {
            throw .malformedKey("not a 32-byte P-256 private key")
        }
        self.suite = suite
    }

    /// A key from PEM ("EC PRIVATE KEY" or PKCS#8 "PRIVATE KEY").
    public init(pemRepresentation: String, suite: CryptoSuite = .international) throws(CardSecurityError) {
        try suite.requireSupported()
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: pemRepresentation)
        } catch {
            throw .malformedKey("not a P-256 private key in PEM")
        }
        self.suite = suite
    }

    /// The 32-byte private scalar. Never log it.
    public var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }
    /// PKCS#8 PEM. Never log it.
    public var pemRepresentation: String { key.pemRepresentation }

    public var publicKey: VerifyingKey { VerifyingKey(key: key.publicKey) }

    /// ECDSA over SHA-256 of `message`, returned as r || s (32 + 32 bytes, big-endian).
    public func sign(_ message: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        do {
            return Array(try key.signature(for: message).rawRepresentation)
        } catch {
            throw .primitiveFailed("ECDSA signing")
        }
    }

    public var description: String { "SigningKey(\(suite.rawValue), public key \(publicKey.keyIdentifier.hexString), <private key redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// A public key that checks signatures: a chip key (from the security object) or a certificate's key.
public struct VerifyingKey: Sendable, Equatable, CustomStringConvertible {
    public static let signatureLength = 64
    public let suite: CryptoSuite
    let key: P256.Signing.PublicKey

    init(key: P256.Signing.PublicKey) {
        self.key = key
        self.suite = .international
    }

    /// A key from its uncompressed point `04 || X || Y` (65 bytes), as stored in the security object.
    public init(x963Representation: [UInt8], suite: CryptoSuite = .international) throws(CardSecurityError) {
        try suite.requireSupported()
        do {
            key = try P256.Signing.PublicKey(x963Representation: x963Representation)
        } catch {
            throw .malformedKey("not an uncompressed P-256 public key (65 bytes starting 04)")
        }
        self.suite = suite
    }

    /// `04 || X || Y`, 65 bytes.
    public var x963Representation: [UInt8] { Array(key.x963Representation) }

    /// The first 8 bytes of SHA-256 over the uncompressed point: how an endorsement record names its station key.
    public var keyIdentifier: [UInt8] { Array(SHA256.hash(data: x963Representation).prefix(8)) }

    /// True when `signature` (r || s) is a valid ECDSA P-256 / SHA-256 signature of `message`.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == Self.signatureLength,
              let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        return key.isValidSignature(parsed, for: message)
    }

    public static func == (lhs: VerifyingKey, rhs: VerifyingKey) -> Bool {
        lhs.x963Representation == rhs.x963Representation
    }

    public var description: String { "VerifyingKey(\(suite.rawValue), id \(keyIdentifier.hexString))" }
}
