import Foundation
import SwiftASN1
import X509

/// Issues the certificates of the authority's PKI. Dates are passed in, never read from a clock.
public enum CertificateAuthority {
    /// A self-signed root that may sign certificates only. A test authority's root carries the
    /// `testAuthority` mark, which is what allows a stopped test clock (docs/CLOCK.md); a production root never does.
    public static func makeRoot(
        name: String, key: SigningKey, notBefore: Date, notAfter: Date, testAuthority: Bool = false
    ) throws(CardSecurityError) -> PKICertificate {
        try build {
            let subject = try DistinguishedName { CommonName(name) }
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(key.key.publicKey),
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    if testAuthority {
                        Certificate.Extension(oid: testAuthorityMark, critical: false, value: [0x05, 0x00])
                    }
                },
                issuerPrivateKey: Certificate.PrivateKey(key.key))
        }
    }

    /// `1.3.6.1.4.1.32473.8.1`, under IANA's documentation enterprise number (RFC 5612): a non-critical
    /// extension (value NULL) that marks a test authority's root. It is inside the self-signature, so a
    /// station cannot gain it by editing its configuration.
    static let testAuthorityMark: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 32473, 8, 1]

    /// An end-entity certificate for `subjectKey` with digital-signature key usage and the given roles,
    /// signed by `issuerKey` under `issuer`.
    public static func issue(
        name: String, subjectKey: VerifyingKey, roles: Set<CertificateRole>,
        issuer: PKICertificate, issuerKey: SigningKey, notBefore: Date, notAfter: Date
    ) throws(CardSecurityError) -> PKICertificate {
        try issue(name: name, subjectKey: subjectKey, roles: roles, issuer: issuer, issuerKey: issuerKey,
                  notBefore: notBefore, notAfter: notAfter, keyUsage: KeyUsage(digitalSignature: true))
    }

    /// As above with any key usage, so tests can make certificates that must be refused.
    static func issue(
        name: String, subjectKey: VerifyingKey, roles: Set<CertificateRole>,
        issuer: PKICertificate, issuerKey: SigningKey, notBefore: Date, notAfter: Date, keyUsage: KeyUsage
    ) throws(CardSecurityError) -> PKICertificate {
        try build {
            let usages = CertificateRole.allCases.filter(roles.contains).map(\.usage)
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(subjectKey.key),
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: issuer.certificate.subject, subject: try DistinguishedName { CommonName(name) },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(keyUsage)
                    try ExtendedKeyUsage(usages)
                },
                issuerPrivateKey: Certificate.PrivateKey(issuerKey.key))
        }
    }

    private static func build(_ body: () throws -> Certificate) throws(CardSecurityError) -> PKICertificate {
        do {
            return PKICertificate(try body())
        } catch {
            throw .malformedCertificate("could not build the certificate: \(error)")
        }
    }
}
