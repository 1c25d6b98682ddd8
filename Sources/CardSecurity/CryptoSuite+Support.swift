extension CryptoSuite {
    /// Throws for a suite whose primitives are not implemented, so callers fail before touching a card.
    public func requireSupported() throws(CardSecurityError) {
        guard self == .international else { throw .suiteNotSupported(self) }
    }
}
