import Foundation

/// A complete test PKI for demos and tests, generated in memory: a root, a certificate and key for each
/// `AuthorityCredential`, and the master keys. `permit pki init --keys-in-files` writes it to files;
/// `permit pki init --token` puts the keys into tokens instead (module `KeyCustody`).
public struct TestAuthority: Sendable {
    public let root: SigningCredential
    public let issued: [AuthorityCredential: SigningCredential]
    public let masterKeys: MasterKeySet

    public var documentSigner: SigningCredential { issued[.documentSigner]! }
    public var issuingStation: SigningCredential { issued[.issuingStation]! }
    public var endorsingStation: SigningCredential { issued[.endorsingStation]! }
    public var kiosk: SigningCredential { issued[.kiosk]! }
    public var statusListSigner: SigningCredential { issued[.statusListSigner]! }

    /// Every credential, root first, with the file stem it is stored under.
    public var credentials: [(name: String, credential: SigningCredential)] {
        [("root-ca", root)] + AuthorityCredential.allCases.map { ($0.rawValue, issued[$0]!) }
    }

    /// What a field verifier carries: the root and every issued certificate.
    public var trustStore: TrustStore {
        TrustStore(root: root.certificate, certificates: AuthorityCredential.allCases.map { issued[$0]!.certificate })
    }

    /// Generates fresh keys and certificates valid from `notBefore` to `notAfter`.
    public static func generate(
        name: String = "PermitStation Test Authority", notBefore: Date, notAfter: Date, suite: CryptoSuite = .international
    ) throws(CardSecurityError) -> TestAuthority {
        let root = try makeRoot(name: name, notBefore: notBefore, notAfter: notAfter, suite: suite)
        var issued: [AuthorityCredential: SigningCredential] = [:]
        for credential in AuthorityCredential.allCases {
            let key = try SigningKey.random(suite: suite)
            let certificate = try certify(credential, key: key.publicKey, authority: name, root: root, notBefore: notBefore, notAfter: notAfter)
            issued[credential] = SigningCredential(certificate: certificate, key: key)
        }
        return TestAuthority(root: root, issued: issued, masterKeys: try MasterKeySet.random(suite: suite))
    }

    /// A fresh root key and its self-signed certificate, marked as a test authority's.
    public static func makeRoot(name: String, notBefore: Date, notAfter: Date, suite: CryptoSuite = .international) throws(CardSecurityError) -> SigningCredential {
        let key = try SigningKey.random(suite: suite)
        return SigningCredential(
            certificate: try CertificateAuthority.makeRoot(
                name: "\(name) Root", key: key, notBefore: notBefore, notAfter: notAfter, testAuthority: true), key: key)
    }

    /// The certificate `root` issues for `credential`'s key (made in memory or inside a token).
    public static func certify(
        _ credential: AuthorityCredential, key: VerifyingKey, authority name: String, root: SigningCredential, notBefore: Date, notAfter: Date
    ) throws(CardSecurityError) -> PKICertificate {
        try CertificateAuthority.issue(
            name: "\(name) \(credential.subject)", subjectKey: key, roles: credential.roles, issuer: root.certificate,
            issuerKey: root.key, notBefore: notBefore, notAfter: notAfter)
    }
}

/// A certificate with its private key in memory (test authority, development files). Its description
/// hides the key. A station's credentials sign inside its token instead (module `KeyCustody`).
public struct SigningCredential: CertifiedSigner, CustomStringConvertible {
    public let certificate: PKICertificate
    public let key: SigningKey

    public init(certificate: PKICertificate, key: SigningKey) {
        self.certificate = certificate
        self.key = key
    }

    public var publicKey: VerifyingKey { key.publicKey }

    public func sign(_ message: [UInt8]) throws(CardSecurityError) -> [UInt8] { try key.sign(message) }

    public var description: String { "\(certificate) (<private key redacted>)" }
}
