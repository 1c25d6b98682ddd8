/// The algorithm family of every key, signature and MAC on a card, as its profile names it
/// (docs/CARD-SECURITY.md). Every cryptographic operation takes the suite, so a profile switches
/// suites without code changes once the national suite is implemented.
public enum CryptoSuite: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// ECDSA P-256 signatures, SHA-256 digests, AES-128 (CMAC, CBC) for keys and secure messaging.
    case international
    /// SM2 signatures, SM3 digests, SM4 for keys and secure messaging (GB/T 32918, 32905, 32907).
    case national

    /// The one-byte suite identifier written into the security object.
    public var identifier: UInt8 {
        switch self {
        case .international: 0x01
        case .national: 0x02
        }
    }

    public var description: String {
        switch self {
        case .international: "international (ECDSA P-256 / SHA-256 / AES-128)"
        case .national: "national (SM2 / SM3 / SM4)"
        }
    }

    /// The suite with the given security-object identifier, if any.
    public init?(identifier: UInt8) {
        guard let suite = Self.allCases.first(where: { $0.identifier == identifier }) else { return nil }
        self = suite
    }
}
