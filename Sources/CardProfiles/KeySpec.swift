import PermitVocabulary

/// One symmetric key on the card: which role holds it, how the card addresses it, and how a station
/// derives this card's copy from the role's master key.
public struct KeySpec: Sendable, Hashable {
    /// The name access conditions use.
    public var name: String
    public var role: KeyRole
    /// The key reference: P2 of EXTERNAL AUTHENTICATE and of PUT KEY (1...31).
    public var number: Int
    /// The key version (0...255), so that master keys can be rotated.
    public var version: Int
    /// The label of the master key in the station's key store (never the key itself).
    public var master: String
    public var diversification: Diversification
    /// Earlier versions still on cards in the field (version → master-key label): a station authenticates
    /// with the version a card reports (FCI) and an issuing station rotates it to `version` with PUT KEY.
    public var previous: [Int: String]

    public init(
        name: String, role: KeyRole, number: Int, version: Int, master: String, diversification: Diversification, previous: [Int: String] = [:]
    ) {
        self.name = name
        self.role = role
        self.number = number
        self.version = version
        self.master = master
        self.diversification = diversification
        self.previous = previous
    }

    /// The master-key label of `version` (the current one or a previous one); nil for a version the profile does not know.
    public func master(version: Int) -> String? {
        version == self.version ? master : previous[version]
    }
}

/// How a card key is derived from its master key (docs/CARD-SECURITY.md gives the byte-exact input).
public struct Diversification: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        /// NIST SP 800-108 counter mode with CMAC over the suite's block cipher (AES-128 or SM4).
        case sp800108CMAC = "sp800-108-cmac"
    }

    public var algorithm: Algorithm
    /// The derivation label, ASCII (e.g. `PS-ISSUE`).
    public var label: String
    /// The values concatenated, in this order, into the derivation context.
    public var context: [DiversificationInput]

    public init(algorithm: Algorithm, label: String, context: [DiversificationInput]) {
        self.algorithm = algorithm
        self.label = label
        self.context = context
    }
}
