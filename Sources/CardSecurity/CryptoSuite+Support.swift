import Crypto

extension CryptoSuite {
    /// Throws for a suite whose primitives are not implemented, so callers fail before touching a card.
    public func requireSupported() throws(CardSecurityError) {
        guard self == .international else { throw .suiteNotSupported(self) }
    }

    /// The suite's digest: SHA-256 (32 bytes) in the international suite (SM3 in the national one, issue 12).
    public func hash(_ bytes: [UInt8]) throws(CardSecurityError) -> [UInt8] {
        try requireSupported()
        return Array(SHA256.hash(data: bytes))
    }
}
