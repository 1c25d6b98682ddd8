/// Something a terminal can prove to the card in the current session.
public enum Credential: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// EXTERNAL AUTHENTICATE with the key of this name.
    case key(String)
    /// A successful VERIFY of the holder PIN.
    case pin

    public var description: String {
        switch self {
        case .key(let name): name
        case .pin: "pin"
        }
    }
}

/// When an operation is allowed: always, never, or when all credentials of at least one alternative
/// are held. Text form (as in the emulator's access rules): `always`, `never`, or e.g.
/// `issuingStation | endorsingStation & pin`.
public struct AccessCondition: Sendable, Hashable, CustomStringConvertible {
    /// Alternatives of required credentials; `[[]]` is always, `[]` is never.
    public var alternatives: [Set<Credential>]

    public init(anyOf alternatives: [Set<Credential>]) { self.alternatives = alternatives }

    public static let always = AccessCondition(anyOf: [[]])
    public static let never = AccessCondition(anyOf: [])

    public func isSatisfied(by held: Set<Credential>) -> Bool {
        alternatives.contains { $0.isSubset(of: held) }
    }

    /// Every credential the condition mentions.
    public var credentials: Set<Credential> { alternatives.reduce(into: []) { $0.formUnion($1) } }

    public var description: String {
        if alternatives.isEmpty { return "never" }
        if alternatives.contains(where: \.isEmpty) { return "always" }
        return alternatives.map { $0.sorted().map(\.description).joined(separator: " & ") }.joined(separator: " | ")
    }
}

/// The card's two life-cycle phases: before FINALISE (personalisation) and after it (operational).
public enum CardPhase: String, Sendable, Hashable, CaseIterable {
    case personalisation
    case operational
}

/// An operation's access condition in each phase, so that e.g. holder data can be written only before FINALISE.
public struct AccessRule: Sendable, Hashable {
    public var personalisation: AccessCondition
    public var operational: AccessCondition

    public init(personalisation: AccessCondition, operational: AccessCondition) {
        self.personalisation = personalisation
        self.operational = operational
    }

    /// The same condition in both phases.
    public init(_ condition: AccessCondition) {
        self.init(personalisation: condition, operational: condition)
    }

    public subscript(phase: CardPhase) -> AccessCondition {
        switch phase {
        case .personalisation: personalisation
        case .operational: operational
        }
    }
}

/// Application commands with their own access rules (file operations are in each file's `access`).
public enum ApplicationCommand: String, Sendable, Hashable, CaseIterable {
    /// GET DATA of the permit state (EF.CARD, newest status and endorsement, PIN tries).
    case readState
    /// PUT KEY: load a diversified role key.
    case writeKey
    /// CHANGE REFERENCE DATA without the old PIN: set the holder PIN (and its PUK) at personalisation.
    case setPin
    /// VERIFY of the holder PIN: only where a holder enters it (an endorsing station or kiosk), so a
    /// widely held key cannot spend the holder's tries.
    case verifyPin
    /// CHANGE REFERENCE DATA with the old PIN: the holder replaces the PIN.
    case changePin
    /// RESET RETRY COUNTER with the holder's PUK: unblock the holder PIN.
    case unblockPin
    /// ACTIVATE FILE on the application: ends personalisation.
    case finalise
}
