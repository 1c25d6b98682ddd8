import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// What a verifier trusts: the authority's root certificate, plus the station and document-signer
/// certificates it carries offline (looked up by key identifier for endorsement records).
public struct TrustStore: Sendable {
    public let root: PKICertificate
    public let certificates: [PKICertificate]

    public init(root: PKICertificate, certificates: [PKICertificate] = []) {
        self.root = root
        self.certificates = certificates
    }

    /// The carried certificate whose key has this 8-byte identifier (see `VerifyingKey.keyIdentifier`).
    public func certificate(keyIdentifier: [UInt8]) -> PKICertificate? {
        certificates.first { $0.publicKey?.keyIdentifier == keyIdentifier }
    }

    /// Whether `certificate` chains to the root, is within its validity at `date`, may sign digitally
    /// and holds `role`. Intermediate CAs, if any, are taken from the carried certificates.
    public func verify(_ certificate: PKICertificate, for role: CertificateRole, at date: Date) async -> Verdict {
        for checked in [certificate, root] {
            if let problem = Self.validityProblem(of: checked, at: date) { return .failed(reason: problem) }
        }
        var verifier = Verifier(rootCertificates: CertificateStore([root.certificate])) {
            RFC5280Policy(fixedExpiryValidationTime: date)
            RolePolicy(role: role)
        }
        let intermediates = CertificateStore(certificates.map(\.certificate).filter { $0 != certificate.certificate })
        switch await verifier.validate(leaf: certificate.certificate, intermediates: intermediates) {
        case .validCertificate:
            return .passed
        case .couldNotValidate(let failures):
            guard let failure = failures.first else {
                return .failed(reason: "\(certificate) is not issued under the trusted root \"\(root.subject)\"")
            }
            return .failed(reason: "\(certificate) is refused: \(failure.policyFailureReason)")
        }
    }

    /// A plain sentence when `certificate` is not valid at `date` (the library's own message is verbose).
    private static func validityProblem(of certificate: PKICertificate, at date: Date) -> String? {
        let checked = date.formatted(.iso8601)
        if date > certificate.notValidAfter {
            return "\(certificate) expired on \(certificate.notValidAfter.formatted(.iso8601)) (checked at \(checked))"
        }
        if date < certificate.notValidBefore {
            return "\(certificate) is not valid before \(certificate.notValidBefore.formatted(.iso8601)) (checked at \(checked))"
        }
        return nil
    }
}

/// The checks RFC 5280 leaves to the application: the leaf may make digital signatures for `role`,
/// and every certificate above it may sign certificates.
struct RolePolicy: VerifierPolicy {
    let role: CertificateRole
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        guard let usage = try? leaf.extensions.keyUsage, usage.digitalSignature else {
            return .failsToMeetPolicy(reason: "its key usage does not allow digital signatures")
        }
        guard let extended = try? leaf.extensions.extendedKeyUsage, extended.contains(role.usage) else {
            return .failsToMeetPolicy(reason: "it is not certified for the \(role) role (extended key usage \(role.usageOID) missing)")
        }
        for issuer in chain.dropFirst() {
            guard let usage = try? issuer.extensions.keyUsage, usage.keyCertSign else {
                return .failsToMeetPolicy(reason: "its issuer \"\(issuer.subject)\" may not sign certificates")
            }
        }
        return .meetsPolicy
    }
}
