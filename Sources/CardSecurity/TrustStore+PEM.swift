import Foundation

/// A trust bundle as `permit pki init` writes it (`trust-bundle.pem`): the root first, then the certificates it signed.
extension TrustStore {
    public init(pemBundle text: String) throws(CardSecurityError) {
        var certificates: [PKICertificate] = []
        for block in text.components(separatedBy: "-----END CERTIFICATE-----") {
            let trimmed = block.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            certificates.append(try PKICertificate(pemEncoded: trimmed + "\n-----END CERTIFICATE-----\n"))
        }
        guard let root = certificates.first else { throw .malformedCertificate("the trust bundle holds no certificate") }
        self.init(root: root, certificates: Array(certificates.dropFirst()))
    }
}
