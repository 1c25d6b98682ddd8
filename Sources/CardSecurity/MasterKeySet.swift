import ISO7816

/// Master keys held in memory, one per role: the development form (`permit pki init --keys-in-files`
/// writes them to a 0600 JSON file) and the test authority's. A set may hold only some roles (a kiosk's
/// holds the endorsing key alone). A station keeps its master keys in a PKCS#11 token instead (module
/// `KeyCustody`). Its descriptions never show the keys.
public struct MasterKeySet: MasterKeyStore, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let suite: CryptoSuite
    private let keys: [KeyRole: CardKey]

    /// The master keys of one or more roles.
    public init(suite: CryptoSuite, keys: [KeyRole: CardKey]) throws(CardSecurityError) {
        try suite.requireSupported()
        guard !keys.isEmpty else { throw .malformedKey("a master-key set must hold the master key of at least one role") }
        self.suite = suite
        self.keys = keys
    }

    /// Fresh random master keys for every role.
    public static func random(suite: CryptoSuite = .international) throws(CardSecurityError) -> MasterKeySet {
        var keys: [KeyRole: CardKey] = [:]
        for role in KeyRole.allCases { keys[role] = try CardKey.random(suite: suite) }
        return try MasterKeySet(suite: suite, keys: keys)
    }

    public var roles: Set<KeyRole> { Set(keys.keys) }

    /// The master key of `role`, if this set holds it.
    public func masterKey(for role: KeyRole) -> CardKey? { keys[role] }

    /// Only the master keys of `roles` (what a kiosk or a field verifier may hold).
    public func restricted(to roles: Set<KeyRole>) throws(CardSecurityError) -> MasterKeySet {
        try MasterKeySet(suite: suite, keys: keys.filter { roles.contains($0.key) })
    }

    /// A file holds one master key per role, whatever label a profile gives it.
    public func diversify(_ input: [UInt8], master: MasterKeyReference) throws(CardSecurityError) -> CardKey {
        guard let key = keys[master.role] else { throw .keyNotHeld("\(master) (this master-key set holds no \(master.role) key)") }
        return try CardKey(bytes: BlockCipher.cmac(input, key: key), suite: suite)
    }

    /// The card's key for `role` with the default diversification (CARD-SECURITY §4, V1).
    public func cardKey(for role: KeyRole, serial: CardSerial) throws(CardSecurityError) -> CardKey {
        guard let key = keys[role] else { throw .keyNotHeld("the \(role) master key") }
        return try KeyDerivation.cardKey(master: key, role: role, serial: serial)
    }

    private enum CodingKeys: String, CodingKey {
        case suite, issuingStation, endorsingStation, readingTerminal
    }

    private static func codingKey(_ role: KeyRole) -> CodingKeys {
        switch role {
        case .issuingStation: .issuingStation
        case .endorsingStation: .endorsingStation
        case .readingTerminal: .readingTerminal
        }
    }

    /// `{"suite": "international", "issuingStation": "<32 hex>", "endorsingStation": ..., "readingTerminal": ...}`;
    /// any role may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let suite = try container.decode(CryptoSuite.self, forKey: .suite)
        var keys: [KeyRole: CardKey] = [:]
        for role in KeyRole.allCases {
            let key = Self.codingKey(role)
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { continue }
            guard let bytes = Hex.decode(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not hex")
            }
            keys[role] = try CardKey(bytes: bytes, suite: suite)
        }
        try self.init(suite: suite, keys: keys)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(suite, forKey: .suite)
        for role in KeyRole.allCases {
            guard let key = keys[role] else { continue }
            try container.encode(key.rawBytes.hexString, forKey: Self.codingKey(role))
        }
    }

    public var description: String { "MasterKeySet(\(suite.rawValue), \(keys.count) roles, <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["suite": suite]) }
}
