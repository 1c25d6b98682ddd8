import Synchronization

/// The emulated card: power, the ATR, and the processing of every command APDU.
///
/// Around the file system and the applet it adds what a card's transport layer does:
/// - command chaining (CLA bit `10`): the parts are collected and the applet or the ISO command set
///   sees one command; each part but the last is answered 9000;
/// - response chaining: data longer than Ne is cut at Ne and answered 61xx; GET RESPONSE (INS C0)
///   returns the rest;
/// - atomic commits: a command's changes are kept (and saved to the state file) only if it was not refused.
///
/// Thread-safe: calls are serialised, so a link thread and a test can both use the card.
public final class EmulatedCard: Sendable {
    private struct Core: Sendable {
        var session: CardSession
        var applet: (any CardApplet)?
        var poweredOn = false
        /// Response bytes waiting for GET RESPONSE.
        var pendingResponse: [UInt8] = []
        /// The data of the command chain being received, and its header (CLA without the chaining bit, INS, P1, P2).
        var chain: (header: [UInt8], data: [UInt8])?
    }

    /// The longest command a chain can build (the extended-length limit).
    public static let maxChainedDataLength = 65535

    /// The most response data one answer carries: a vpcd frame holds at most 65535 bytes, SW1 SW2
    /// included, so an answer to Ne = 65536 is cut here and continued with 61xx / GET RESPONSE.
    public static let maxResponseData = 65533

    private let core: Mutex<Core>
    private let store: CardStateStore?

    /// A card with the given state; with a `store`, every change is saved there.
    public init(state: CardState, applet: (any CardApplet)? = nil, store: CardStateStore? = nil, random: RandomSource = .system) {
        core = Mutex(Core(session: CardSession(state: state, random: random), applet: applet))
        self.store = store
    }

    /// A card whose state lives in a file: loaded if the file exists, else `initial` (saved at once).
    public convenience init(
        store: CardStateStore, initial: @autoclosure () -> CardState, applet: (any CardApplet)? = nil,
        random: RandomSource = .system
    ) throws(CardStateStoreError) {
        let state: CardState
        if let saved = try store.load() {
            state = saved
        } else {
            state = initial()
            try store.save(state)
        }
        self.init(state: state, applet: applet, store: store, random: random)
    }

    public var atr: ATR { core.withLock { $0.session.state.atr } }

    /// A snapshot of the persistent state.
    public var state: CardState { core.withLock { $0.session.state } }

    /// A snapshot of the volatile state (selection, security state, challenge).
    public var session: CardSession { core.withLock { $0.session } }

    public var isPoweredOn: Bool { core.withLock { $0.poweredOn } }

    /// Replaces the persistent state (e.g. a test loading a layout), saving it; volatile state is cleared.
    public func replaceState(_ state: CardState) throws(CardStateStoreError) {
        try core.withLock { (core: inout Core) throws(CardStateStoreError) in
            try store?.save(state)
            core.session.state = state
            Self.clearVolatile(&core)
        }
    }

    /// Power on (vpcd `01`) and warm reset (vpcd `02`): volatile state cleared, the applet's `powerOn` run.
    /// If the applet changes persistent state there (e.g. completing an interrupted update, as cards do at
    /// power-on), the change is saved like a command's; if it cannot be saved it is dropped.
    public func powerOn() {
        core.withLock { core in
            Self.clearVolatile(&core)
            core.poweredOn = true
            let persisted = core.session.state
            core.session.stateChanged = false
            core.applet?.powerOn(session: &core.session)
            if core.session.stateChanged, let store, (try? store.save(core.session.state)) == nil {
                core.session.state = persisted
            }
            core.session.stateChanged = false
        }
    }

    public func reset() { powerOn() }

    /// Power off (vpcd `00`): the volatile state is lost.
    public func powerOff() {
        core.withLock { core in
            Self.clearVolatile(&core)
            core.poweredOn = false
        }
    }

    /// Processes one command APDU in wire form; returns the response in wire form (data + SW1 SW2).
    public func transmit(_ bytes: [UInt8]) -> [UInt8] {
        do {
            return process(try CommandAPDU(received: bytes)).bytes
        } catch {
            core.withLock { core in
                core.pendingResponse = []
                core.chain = nil
            }
            return error.bytes
        }
    }

    /// Processes one command APDU.
    public func process(_ command: CommandAPDU) -> ResponseAPDU {
        core.withLock { core in
            let pending = core.pendingResponse
            core.pendingResponse = []
            if command.cla == 0x00, command.ins == 0xC0, core.chain == nil {
                return Self.getResponse(command, pending: pending, core: &core)
            }
            guard let complete = Self.assemble(command, chain: &core.chain) else { return ResponseAPDU() }
            switch complete {
            case .failure(let status): return ResponseAPDU(statusWord: status)
            case .success(let command):
                let response = Self.run(command, core: &core, store: store)
                return Self.fit(response, ne: command.ne, core: &core)
            }
        }
    }

    // MARK: - Steps

    private static func clearVolatile(_ core: inout Core) {
        core.session.clearVolatileState()
        core.pendingResponse = []
        core.chain = nil
    }

    /// Collects chained parts; nil while the chain goes on, the whole command at its last part.
    private static func assemble(_ command: CommandAPDU, chain: inout (header: [UInt8], data: [UInt8])?) -> Result<CommandAPDU, StatusWord>? {
        // The chaining bit is an interindustry CLA bit; a proprietary CLA is compared whole.
        let cla = command.isProprietaryClass ? command.cla : command.cla & ~0x10
        let header = [cla, command.ins, command.p1, command.p2]
        if let open = chain {
            guard open.header == header else {
                chain = nil
                return .failure(.lastCommandOfChainExpected)
            }
            guard open.data.count + command.data.count <= maxChainedDataLength else {
                chain = nil
                return .failure(.wrongLength)
            }
            if command.isChained {
                chain?.data += command.data
                return nil
            }
            chain = nil
            return .success(CommandAPDU(cla: header[0], ins: command.ins, p1: command.p1, p2: command.p2,
                                        data: open.data + command.data, ne: command.ne, isExtended: command.isExtended))
        }
        if command.isChained {
            chain = (header, command.data)
            return nil
        }
        return .success(command)
    }

    /// Offers the command to the applet, then to the ISO command set; commits the session only on success.
    private static func run(_ command: CommandAPDU, core: inout Core, store: CardStateStore?) -> ResponseAPDU {
        var session = core.session
        var applet = core.applet
        session.stateChanged = false
        do {
            let response: ResponseAPDU
            if let handled = try applet?.handle(command, session: &session) {
                response = handled
            } else {
                response = try ISOCommandSet.execute(command, in: &session)
            }
            if session.stateChanged, let store {
                do {
                    try store.save(session.state)
                } catch {
                    return ResponseAPDU(statusWord: .memoryFailure)
                }
            }
            session.stateChanged = false
            core.session = session
            core.applet = applet
            return response
        } catch {
            return ResponseAPDU(statusWord: error)
        }
    }

    /// Cuts data longer than Ne: the first Ne bytes with 61xx, the rest kept for GET RESPONSE.
    private static func fit(_ response: ResponseAPDU, ne requested: Int, core: inout Core) -> ResponseAPDU {
        let ne = min(requested, maxResponseData)
        guard response.data.count > ne else { return response }
        let rest = Array(response.data[ne...])
        if response.statusWord == .success { core.pendingResponse = rest }
        let status = response.statusWord == .success ? StatusWord.bytesRemaining(rest.count) : response.statusWord
        return ResponseAPDU(data: Array(response.data.prefix(ne)), statusWord: status)
    }

    /// GET RESPONSE: the next Ne bytes of the pending response (6985 when nothing is pending).
    private static func getResponse(_ command: CommandAPDU, pending: [UInt8], core: inout Core) -> ResponseAPDU {
        guard command.p1 == 0, command.p2 == 0 else {
            core.pendingResponse = pending
            return ResponseAPDU(statusWord: .incorrectP1P2)
        }
        guard !pending.isEmpty else { return ResponseAPDU(statusWord: .conditionsOfUseNotSatisfied) }
        guard command.data.isEmpty, command.ne > 0 else {
            core.pendingResponse = pending
            return ResponseAPDU(statusWord: .wrongLength)
        }
        return fit(ResponseAPDU(data: pending), ne: command.ne, core: &core)
    }
}
