import Crypto

/// A symmetric key of the card application (master, role or session key). Value type whose
/// description is redacted, so a key printed by accident shows nothing.
public struct CardKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Key length of the international suite (AES-128) and of SM4: 16 bytes.
    public static let length = 16

    public let suite: CryptoSuite
    let bytes: [UInt8]

    public init(bytes: [UInt8], suite: CryptoSuite = .international) throws(CardSecurityError) {
        try suite.requireSupported()
        guard bytes.count == Self.length else {
            throw .invalidKeyLength(expected: Self.length, actual: bytes.count)
        }
        self.bytes = bytes
        self.suite = suite
    }

    /// A fresh random key from the system's secure generator.
    public static func random(suite: CryptoSuite = .international) throws(CardSecurityError) -> CardKey {
        try suite.requireSupported()
        let key = SymmetricKey(size: .bits128)
        return try CardKey(bytes: key.withUnsafeBytes { Array($0) }, suite: suite)
    }

    /// The raw key, for writing it into a card's key file or a 0600 key file. Never log it.
    public var rawBytes: [UInt8] { bytes }

    var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

    public var description: String { "CardKey(\(suite.rawValue), 128 bits, <redacted>)" }
    public var debugDescription: String { description }
    /// No children, so `dump` and debuggers show no key bytes either.
    public var customMirror: Mirror { Mirror(self, children: []) }
}
