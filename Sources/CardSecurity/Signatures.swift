import Crypto

/// What a signature is for. Its prefix opens every signed message, so a signature made for one
/// purpose (a station's residence record) can never be passed off as another (a status record).
public enum SignatureDomain: String, Sendable, CaseIterable {
    case securityObject
    case residenceRecord
    case endorsement
    case statusRecord
    case statusList

    /// ASCII text followed by one 00 byte.
    public var prefix: [UInt8] {
        let text: StaticString = switch self {
        case .securityObject: "PermitStation security object v1"
        case .residenceRecord: "PermitStation residence v2"
        case .endorsement: "PermitStation endorsement v1"
        case .statusRecord: "PermitStation status v1"
        case .statusList: "PermitStation status list v2"
        }
        return ascii(text) + [0x00]
    }
}

/// Signing and checking of domain-separated messages: the signed bytes are `prefix || payload`,
/// hashed with SHA-256 and signed with ECDSA P-256; signatures are r || s, 64 bytes.
public enum DomainSignature {
    public static func sign(_ payload: [UInt8], domain: SignatureDomain, key: some MessageSigner) throws(CardSecurityError) -> [UInt8] {
        try key.sign(domain.prefix + payload)
    }

    public static func isValid(_ signature: [UInt8], of payload: [UInt8], domain: SignatureDomain, key: VerifyingKey) -> Bool {
        key.isValidSignature(signature, for: domain.prefix + payload)
    }
}

/// The outcome of one security check: passed, or failed with a sentence saying why.
public enum Verdict: Sendable, Equatable, CustomStringConvertible {
    case passed
    case failed(reason: String)

    public var isPassed: Bool { self == .passed }

    public var description: String {
        switch self {
        case .passed: "passed"
        case .failed(let reason): "failed: \(reason)"
        }
    }
}
