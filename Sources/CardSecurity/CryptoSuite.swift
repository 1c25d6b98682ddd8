/// The algorithm family a card profile names. Every operation in this module takes the suite, so a profile
/// switches suites without code changes once the national suite is implemented.
public enum CryptoSuite: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
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

    /// Throws for a suite whose primitives are not implemented, so callers fail before touching a card.
    public func requireSupported() throws(CardSecurityError) {
        guard self == .international else { throw .suiteNotSupported(self) }
    }

    /// The suite with the given security-object identifier, if any.
    public init?(identifier: UInt8) {
        guard let suite = Self.allCases.first(where: { $0.identifier == identifier }) else { return nil }
        self = suite
    }
}
