import ISO7816

/// The authority's master keys, one per role, from which every card's role keys are diversified.
/// Stored as JSON in a 0600 file; its descriptions never show the keys.
public struct MasterKeySet: Sendable, Equatable, Codable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let suite: CryptoSuite
    private let keys: [KeyRole: CardKey]

    public init(suite: CryptoSuite, keys: [KeyRole: CardKey]) throws(CardSecurityError) {
        try suite.requireSupported()
        guard let missing = KeyRole.allCases.first(where: { keys[$0] == nil }) else {
            self.suite = suite
            self.keys = keys
            return
        }
        throw .malformedKey("the master key of the \(missing) role is missing")
    }

    /// Fresh random master keys for every role.
    public static func random(suite: CryptoSuite = .international) throws(CardSecurityError) -> MasterKeySet {
        var keys: [KeyRole: CardKey] = [:]
        for role in KeyRole.allCases { keys[role] = try CardKey.random(suite: suite) }
        return try MasterKeySet(suite: suite, keys: keys)
    }

    public func masterKey(for role: KeyRole) -> CardKey { keys[role]! }

    /// The card's key for `role`, diversified with its serial.
    public func cardKey(for role: KeyRole, serial: CardSerial) throws(CardSecurityError) -> CardKey {
        try KeyDerivation.cardKey(master: masterKey(for: role), role: role, serial: serial)
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

    /// `{"suite": "international", "issuingStation": "<32 hex>", "endorsingStation": ..., "readingTerminal": ...}`
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let suite = try container.decode(CryptoSuite.self, forKey: .suite)
        var keys: [KeyRole: CardKey] = [:]
        for role in KeyRole.allCases {
            let key = Self.codingKey(role)
            guard let bytes = Hex.decode(try container.decode(String.self, forKey: key)) else {
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
            try container.encode(masterKey(for: role).rawBytes.hexString, forKey: Self.codingKey(role))
        }
    }

    public var description: String { "MasterKeySet(\(suite.rawValue), \(keys.count) roles, <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["suite": suite]) }
}
