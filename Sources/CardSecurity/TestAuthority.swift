import Foundation

/// A complete test PKI for demos and tests: a root, a document signer, three station credentials
/// (issuing station, endorsing station, kiosk) and the master keys. Generated in memory; the CLI
/// (`permit pki init`) writes it to files.
public struct TestAuthority: Sendable {
    public let root: SigningCredential
    public let documentSigner: SigningCredential
    public let issuingStation: SigningCredential
    public let endorsingStation: SigningCredential
    public let kiosk: SigningCredential
    public let masterKeys: MasterKeySet

    /// Every credential, root first, with the file stem it is stored under.
    public var credentials: [(name: String, credential: SigningCredential)] {
        [("root-ca", root), ("document-signer", documentSigner), ("issuing-station", issuingStation),
         ("endorsing-station", endorsingStation), ("kiosk", kiosk)]
    }

    /// What a field verifier carries: the root and every issued certificate.
    public var trustStore: TrustStore {
        TrustStore(root: root.certificate, certificates: credentials.dropFirst().map(\.credential.certificate))
    }

    /// Generates fresh keys and certificates valid from `notBefore` to `notAfter`.
    public static func generate(
        name: String = "PermitStation Test Authority", notBefore: Date, notAfter: Date, suite: CryptoSuite = .international
    ) throws(CardSecurityError) -> TestAuthority {
        let rootKey = try SigningKey.random(suite: suite)
        let rootCertificate = try CertificateAuthority.makeRoot(
            name: "\(name) Root", key: rootKey, notBefore: notBefore, notAfter: notAfter)
        func credential(_ subject: String, _ roles: Set<CertificateRole>) throws(CardSecurityError) -> SigningCredential {
            let key = try SigningKey.random(suite: suite)
            let certificate = try CertificateAuthority.issue(
                name: "\(name) \(subject)", subjectKey: key.publicKey, roles: roles, issuer: rootCertificate,
                issuerKey: rootKey, notBefore: notBefore, notAfter: notAfter)
            return SigningCredential(certificate: certificate, key: key)
        }
        return TestAuthority(
            root: SigningCredential(certificate: rootCertificate, key: rootKey),
            documentSigner: try credential("Document Signer", [.documentSigner]),
            issuingStation: try credential("Issuing Station", [.issuingStation, .endorsingStation]),
            endorsingStation: try credential("Endorsing Station", [.endorsingStation]),
            kiosk: try credential("Kiosk", [.endorsingStation]),
            masterKeys: try MasterKeySet.random(suite: suite))
    }
}

/// A certificate with its private key (document signer, station). Its description hides the key.
public struct SigningCredential: Sendable, CustomStringConvertible {
    public let certificate: PKICertificate
    public let key: SigningKey

    public init(certificate: PKICertificate, key: SigningKey) {
        self.certificate = certificate
        self.key = key
    }

    public var description: String { "\(certificate) (<private key redacted>)" }
}
