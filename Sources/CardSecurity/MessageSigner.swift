/// Makes this project's signatures: ECDSA P-256 over SHA-256, r || s. A key in memory (`SigningKey`:
/// development files, tests, the card's chip) or a private key inside a PKCS#11 token (module
/// `KeyCustody`), which signs without the key ever leaving it.
public protocol MessageSigner: Sendable {
    var publicKey: VerifyingKey { get }
    /// ECDSA over SHA-256 of `message`, as r || s (32 + 32 bytes, big-endian).
    func sign(_ message: [UInt8]) throws(CardSecurityError) -> [UInt8]
}

/// A signer with the certificate that vouches for its key: a station signing records, a document
/// signer signing security objects, a status-list signer.
public protocol CertifiedSigner: MessageSigner {
    var certificate: PKICertificate { get }
}
