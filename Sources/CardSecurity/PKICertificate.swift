import Crypto
import Foundation
import SwiftASN1
import X509

/// An X.509 certificate of the authority's PKI (root, document signer, station), wrapped so that
/// callers need neither X509 nor SwiftASN1.
public struct PKICertificate: Sendable, Hashable, CustomStringConvertible {
    let certificate: Certificate

    init(_ certificate: Certificate) {
        self.certificate = certificate
    }

    public init(derEncoded: [UInt8]) throws(CardSecurityError) {
        do {
            certificate = try Certificate(derEncoded: derEncoded)
        } catch {
            throw .malformedCertificate("not a DER X.509 certificate")
        }
    }

    public init(pemEncoded: String) throws(CardSecurityError) {
        do {
            certificate = try Certificate(pemEncoded: pemEncoded)
        } catch {
            throw .malformedCertificate("not a PEM X.509 certificate")
        }
    }

    public var derEncoded: [UInt8] {
        var serializer = DER.Serializer()
        // Serialising a certificate we parsed or built cannot fail.
        try! serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    public var pemEncoded: String {
        PEMDocument(type: "CERTIFICATE", derBytes: derEncoded).pemString
    }

    /// SHA-256 of the DER encoding, the usual certificate fingerprint.
    public var fingerprint: [UInt8] { Array(SHA256.hash(data: derEncoded)) }

    public var subject: String { String(describing: certificate.subject) }
    /// The subject's DER encoding (a token's certificate object carries it as `CKA_SUBJECT`).
    public var subjectDER: [UInt8] {
        var serializer = DER.Serializer()
        // Serialising a name we parsed or built cannot fail.
        try! serializer.serialize(certificate.subject)
        return serializer.serializedBytes
    }
    public var notValidBefore: Date { certificate.notValidBefore }
    public var notValidAfter: Date { certificate.notValidAfter }

    /// The certified key, if it is a key of a supported suite.
    public var publicKey: VerifyingKey? {
        P256.Signing.PublicKey(certificate.publicKey).map(VerifyingKey.init(key:))
    }

    /// Whether this is a test authority's root (`TestAuthority`): only then may a station's clock be a test clock.
    public var isTestAuthority: Bool {
        certificate.extensions[oid: CertificateAuthority.testAuthorityMark] != nil
    }

    /// The roles named in the certificate's extended key usage.
    public var roles: Set<CertificateRole> {
        guard let usages = try? certificate.extensions.extendedKeyUsage else { return [] }
        return Set(CertificateRole.allCases.filter { usages.contains($0.usage) })
    }

    public var description: String { "certificate \"\(subject)\"" }
}
