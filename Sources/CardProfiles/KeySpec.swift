/// A terminal role that proves itself to the card with its own key (GET CHALLENGE + EXTERNAL AUTHENTICATE).
/// The raw values are those of `CardSecurity.KeyRole`.
public enum TerminalRole: String, Sendable, Hashable, CaseIterable {
    /// Personalises, changes the address, suspends, restores and cancels.
    case issuingStation
    /// Endorses: an officer's desk or a self-service kiosk.
    case endorsingStation
    /// Reads protected files: the field verifier.
    case readingTerminal
}

/// One symmetric key on the card: which role holds it, how the card addresses it, and how a station
/// derives this card's copy from the role's master key.
public struct KeySpec: Sendable, Hashable {
    /// The name access conditions use.
    public var name: String
    public var role: TerminalRole
    /// The key reference: P2 of EXTERNAL AUTHENTICATE and of PUT KEY (1...31).
    public var number: Int
    /// The key version (0...255), so that master keys can be rotated.
    public var version: Int
    /// The label of the master key in the station's key store (never the key itself).
    public var master: String
    public var diversification: Diversification

    public init(name: String, role: TerminalRole, number: Int, version: Int, master: String, diversification: Diversification) {
        self.name = name
        self.role = role
        self.number = number
        self.version = version
        self.master = master
        self.diversification = diversification
    }
}

/// How a card key is derived from its master key (docs/CARD-SECURITY.md gives the byte-exact input).
public struct Diversification: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        /// NIST SP 800-108 counter mode with CMAC over the suite's block cipher (AES-128 or SM4).
        case sp800108CMAC = "sp800-108-cmac"
    }

    /// The values concatenated, in this order, into the derivation context.
    public enum Input: String, Sendable, Hashable, CaseIterable {
        /// The 8-byte card serial: makes every card's key different.
        case cardSerial
        /// The application identifier.
        case aid
        /// The key number, one byte.
        case keyNumber
        /// The key version, one byte.
        case keyVersion
    }

    public var algorithm: Algorithm
    /// The derivation label, ASCII (e.g. `PS-ISSUE`).
    public var label: String
    public var context: [Input]

    public init(algorithm: Algorithm, label: String, context: [Input]) {
        self.algorithm = algorithm
        self.label = label
        self.context = context
    }
}
