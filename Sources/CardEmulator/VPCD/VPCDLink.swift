import Foundation

/// Why waiting on the link failed.
public enum VPCDLinkError: Error, Hashable, Sendable, CustomStringConvertible {
    case timedOut(waitingFor: String, after: Duration, state: VPCDLink.State)
    case gaveUp(String)

    public var description: String {
        switch self {
        case .timedOut(let what, let after, let state):
            "the emulated card was not \(what) within \(after) (link state: \(state))"
        case .gaveUp(let reason): "the emulated card gave up reaching vpcd: \(reason)"
        }
    }
}

/// Plugs an `EmulatedCard` into vpcd: connecting is inserting the card, closing is removing it.
///
/// All socket I/O runs on one dedicated thread (never on Swift's cooperative pool). The link reconnects
/// when vpcd is not there yet or goes away (pcscd restarted), giving up after `retryLimit` without it.
/// Faults from a `FaultPlan` are applied to the APDUs it carries.
public final class VPCDLink: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: UInt16
        /// Pause between attempts to reach vpcd.
        public var retryInterval: Duration
        /// How long to keep trying to reach vpcd before giving up (state `.failed`); nil: forever.
        public var retryLimit: Duration?
        /// Bound on one connect() and on every send().
        public var ioTimeout: Duration

        public init(
            host: String = "localhost", port: UInt16 = 35963, retryInterval: Duration = .milliseconds(100),
            retryLimit: Duration? = .seconds(30), ioTimeout: Duration = .seconds(2)
        ) {
            self.host = host
            self.port = port
            self.retryInterval = retryInterval
            self.retryLimit = retryLimit
            self.ioTimeout = ioTimeout
        }
    }

    public enum State: Hashable, Sendable, CustomStringConvertible {
        case idle
        /// Trying to reach vpcd.
        case connecting
        /// Connected: the card is in the reader.
        case connected
        /// Pulled by a fault or by `remove()`; waiting for `insert()` or the plan's reinsert delay.
        case removed
        case stopped
        /// Gave up reaching vpcd.
        case failed(String)

        public var description: String {
            switch self {
            case .idle: "idle"
            case .connecting: "connecting"
            case .connected: "connected"
            case .removed: "removed"
            case .stopped: "stopped"
            case .failed(let why): "failed (\(why))"
            }
        }
    }

    public let card: EmulatedCard
    public let configuration: Configuration
    private let control = LinkControl()
    private let log: @Sendable (String) -> Void

    /// `log` receives one line per connect, disconnect, removal and reinsertion (never APDU data).
    public init(card: EmulatedCard, configuration: Configuration = Configuration(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.card = card
        self.configuration = configuration
        self.log = log
    }

    // MARK: - Control

    /// Starts the link thread (once).
    public func start() {
        let first = control.withLock { c -> Bool in
            guard c.state == .idle else { return false }
            c.state = .connecting
            return true
        }
        guard first else { return }
        Thread { [self] in
            // Named from inside: Foundation's `Thread.name` may reach the OS only after the
            // thread ran, leaving it its creator's name. The kernel's comm file is immediate.
            if let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") {
                comm.write(Data("vpcd-link".utf8))
                try? comm.close()
            }
            run()
        }.start()
    }

    /// Stops the link (removing the card) and waits for its thread to finish.
    public func stop(timeout: Duration = .seconds(5)) async throws(VPCDLinkError) {
        let idle = control.withLock { c -> Bool in
            c.stopRequested = true
            c.socket?.shutdownBothWays()
            if c.state == .idle { c.state = .stopped }
            return c.state == .stopped
        }
        if idle { return }
        try await waitUntil("stopped", timeout: timeout) {
            if case .failed = $0 { return true }
            return $0 == .stopped
        }
    }

    /// Pulls the card now; it stays out until `insert()`.
    public func remove() {
        control.withLock { c in
            c.inserted = false
            c.reinsertDeadline = nil
            c.removalReason = "removed on request"
            c.socket?.shutdownBothWays()
        }
    }

    /// Puts the card back (reconnects to vpcd), after `remove()` or a fault removal.
    public func insert() {
        control.withLock { c in
            c.inserted = true
            c.reinsertDeadline = nil
        }
    }

    /// Arms a fault plan; APDUs are counted from here.
    public func setFaultPlan(_ plan: FaultPlan) {
        control.withLock { $0.faults = FaultInjector(plan: plan) }
    }

    /// The fault injector's current plan and APDU count.
    public var faults: FaultInjector { control.withLock { $0.faults } }

    public var state: State { control.withLock { $0.state } }

    /// How many times the card has been inserted (connected to vpcd) since `start()`.
    public var insertionCount: Int { control.withLock { $0.insertions } }

    /// Waits until the card is in the reader.
    public func waitUntilConnected(timeout: Duration = .seconds(10)) async throws(VPCDLinkError) {
        try await waitUntil("connected to vpcd", timeout: timeout) { $0 == .connected }
    }

    /// Waits until the card has been pulled (by a fault or `remove()`).
    public func waitUntilRemoved(timeout: Duration = .seconds(10)) async throws(VPCDLinkError) {
        try await waitUntil("removed", timeout: timeout) { $0 == .removed }
    }

    private func waitUntil(_ what: String, timeout: Duration, _ done: @Sendable (State) -> Bool) async throws(VPCDLinkError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let state = self.state
            if done(state) { return }
            if case .failed(let why) = state { throw .gaveUp(why) }
            if clock.now >= deadline { throw .timedOut(waitingFor: what, after: timeout, state: state) }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    // MARK: - The link thread

    private enum End {
        case stopRequested
        case removed(String)
        case lost(String)
    }

    private func run() {
        let clock = ContinuousClock()
        var outageStart: ContinuousClock.Instant?
        var reportedOutage = false
        while true {
            guard control.waitUntilInsertedOrStopped() else { break }
            let socket: CardSocket
            do {
                socket = try CardSocket.connect(host: configuration.host, port: configuration.port, timeout: configuration.ioTimeout)
            } catch {
                let start = outageStart ?? clock.now
                outageStart = start
                if let limit = configuration.retryLimit, clock.now - start >= limit {
                    log("giving up: \(error.description) (kept trying for \(limit))")
                    control.withLock { $0.state = .failed(error.description) }
                    return
                }
                if !reportedOutage {
                    log("waiting for vpcd: \(error.description)")
                    reportedOutage = true
                }
                control.pause(configuration.retryInterval)
                continue
            }
            outageStart = nil
            reportedOutage = false
            let accepted = control.withLock { c -> Bool in
                guard !c.stopRequested, c.inserted else { return false }
                c.socket = socket
                c.state = .connected
                c.insertions += 1
                return true
            }
            guard accepted else { continue }
            log("card inserted: connected to vpcd at \(socket.endpoint)")
            let end = serve(socket)
            card.powerOff()
            control.withLock { c in
                c.socket = nil
                if c.state == .connected { c.state = .connecting }
            }
            switch end {
            case .stopRequested:
                log("card removed: stopping")
            case .lost(let why):
                log("card disconnected: \(why); reconnecting")
            case .removed(let why):
                log("card removed: \(why)")
            }
        }
        log("stopped")
        control.withLock { $0.state = .stopped }
    }

    private func serve(_ socket: CardSocket) -> End {
        var decoder = VPCDFrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 70_000)
        do {
            while true {
                while let payload = decoder.nextPayload() {
                    if let end = try handle(VPCDMessage(payload: payload), on: socket) { return end }
                }
                let count = try socket.receive(into: &buffer)
                decoder.append(buffer[0..<count])
            }
        } catch {
            return control.withLock { c -> End in
                if c.stopRequested { return .stopRequested }
                if !c.inserted { return .removed(c.removalReason) }
                return .lost(error.description)
            }
        }
    }

    private func handle(_ message: VPCDMessage, on socket: CardSocket) throws(CardSocketError) -> End? {
        switch message {
        case .powerOff: card.powerOff()
        case .powerOn: card.powerOn()
        case .reset: card.reset()
        case .getATR: try socket.send(VPCDFrameDecoder.encode(card.atr.bytes))
        case .unknownControl(let code): log("ignored unknown vpcd control code \(Hex.encode([code]))")
        case .apdu(let bytes):
            let (decision, number, latency) = control.withLock { c in
                (c.faults.nextAPDU(), c.faults.apduCount, c.faults.plan.latency)
            }
            let response: [UInt8]
            switch card.transmit(bytes, as: decision, number: number) {
            case .success(let answer): response = answer
            case .failure(let removal): return pulledByFault(removal.reason)
            }
            if latency > .zero, control.pause(latency) { return nil }
            try socket.send(VPCDFrameDecoder.encode(response))
        }
        return nil
    }

    private func pulledByFault(_ reason: String) -> End {
        control.withLock { c in
            c.inserted = false
            c.state = .removed
            c.reinsertDeadline = c.faults.plan.reinsertAfter.map { ContinuousClock.now.advanced(by: $0) }
            c.removalReason = reason
        }
        return .removed(reason)
    }
}

/// The state shared between the link thread and its controllers, behind one condition variable.
private final class LinkControl: @unchecked Sendable {
    struct Fields {
        var state: VPCDLink.State = .idle
        var stopRequested = false
        var inserted = true
        var reinsertDeadline: ContinuousClock.Instant?
        var removalReason = ""
        var socket: CardSocket?
        var faults = FaultInjector()
        var insertions = 0
    }

    private let condition = NSCondition()
    private var fields = Fields()

    func withLock<T>(_ body: (inout Fields) -> T) -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return body(&fields)
    }

    /// Blocks the link thread while the card is out; false when a stop was requested.
    func waitUntilInsertedOrStopped() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if fields.stopRequested { return false }
            if let deadline = fields.reinsertDeadline, ContinuousClock.now >= deadline {
                fields.inserted = true
                fields.reinsertDeadline = nil
            }
            if fields.inserted {
                if fields.state == .removed || fields.state == .idle { fields.state = .connecting }
                return true
            }
            fields.state = .removed
            if let deadline = fields.reinsertDeadline {
                _ = condition.wait(until: Date().addingTimeInterval(Self.seconds(ContinuousClock.now.duration(to: deadline))))
            } else {
                condition.wait()
            }
        }
    }

    /// Sleeps up to `duration`; returns true early if a stop or a removal was requested.
    @discardableResult
    func pause(_ duration: Duration) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let end = Date().addingTimeInterval(Self.seconds(duration))
        while !fields.stopRequested, fields.inserted {
            if !condition.wait(until: end) { return false }
        }
        return true
    }

    private static func seconds(_ d: Duration) -> TimeInterval {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
