/// Random bytes for GET CHALLENGE and for applets (injectable so tests can be deterministic).
public struct RandomSource: Sendable {
    public let bytes: @Sendable (Int) -> [UInt8]

    public init(_ bytes: @escaping @Sendable (Int) -> [UInt8]) { self.bytes = bytes }

    public static let system = RandomSource { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// What one command may see and change: the persistent card state and the volatile state since power-on.
/// Handlers (the ISO command set and applets) work on a copy; the card keeps the copy only when the
/// handler returns, and drops it when the handler throws, so a command never leaves half its effects.
public struct CardSession: Sendable {
    /// The persistent state. Any change made here is saved to the state file when the command succeeds.
    public var state: CardState {
        didSet { stateChanged = true }
    }
    /// The current DF (the MF after power-on).
    public var currentDF: FilePath = .masterFile
    /// The current EF, if one is selected.
    public var currentEF: FilePath?
    /// The current record number (1-based) in the current EF.
    public var currentRecord: Int?
    public var security = SecurityState()
    /// The last GET CHALLENGE answer; an applet that verifies a response takes it with `takeChallenge()`.
    public var challenge: [UInt8]?
    public let random: RandomSource
    /// Grants valid only for the command being processed (e.g. `sm` after a MAC was verified).
    public private(set) var commandGrants: Set<String> = []
    var stateChanged = false

    public init(state: CardState, random: RandomSource = .system) {
        self.state = state
        self.random = random
    }

    /// The challenge, which can be used once.
    public mutating func takeChallenge() -> [UInt8]? {
        defer { challenge = nil }
        return challenge
    }

    /// Every grant held for this command: the security state's plus the command's own.
    public var effectiveGrants: Set<String> { security.granted.union(commandGrants) }

    /// Throws 6982 unless `operation` on `file` is allowed by its access rules in the current security state.
    public func requireAccess(_ operation: FileOperation, to file: CardFile) throws(StatusWord) {
        guard file.access[operation].isSatisfied(by: effectiveGrants) else { throw .securityStatusNotSatisfied }
    }

    /// Runs an interindustry command through the ISO/IEC 7816-4 command set, with `grants` added to
    /// the security state for this command only (an applet calls this after unwrapping secure messaging).
    /// All or nothing on its own: when it throws, the session is as before, so an applet may catch the
    /// status word and answer it (e.g. wrapped in secure messaging).
    public mutating func executeISO(_ command: CommandAPDU, grants: Set<String> = []) throws(StatusWord) -> ResponseAPDU {
        var attempt = self
        attempt.commandGrants.formUnion(grants)
        let response = try ISOCommandSet.execute(command, in: &attempt)
        attempt.commandGrants = commandGrants
        self = attempt
        return response
    }

    /// Clears the volatile state, as at power-on.
    mutating func clearVolatileState() {
        currentDF = .masterFile
        currentEF = nil
        currentRecord = nil
        security = SecurityState()
        challenge = nil
        commandGrants = []
    }
}
