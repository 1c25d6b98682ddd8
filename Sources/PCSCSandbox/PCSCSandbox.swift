import Foundation
import SmartCard

/// A private pcscd with virtual (vpcd) readers, for tests, benchmarks and the demo; never
/// the machine's own pcscd.
///
/// libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so a process has one sandbox
/// (`shared`), started lazily; its readers are leased one per test so suites run in parallel.
/// Tests that stop or restart pcscd take the whole daemon with `withExclusiveDaemon`, which
/// waits until every reader is back and holds new leases until it is done.
public actor PCSCSandbox {
    public static let shared = PCSCSandbox()

    /// The socket clients use; exported as PCSCLITE_CSOCK_NAME when the sandbox starts.
    public nonisolated let socketPath: String
    /// All reader slots, two per vpcd device.
    public private(set) var slots: [SandboxSlot] = []
    private let deviceCount: Int
    private let namePrefix: String
    private let daemon: PrivateDaemon
    private var available: [SandboxSlot] = []
    /// The first start, shared by every caller that arrives while it runs.
    private var starting: Task<Void, any Error>?
    private var exclusiveHeld = false
    /// Keeps one client connected so `pcscd -x` does not time out while the sandbox lives.
    private let probe = PCSCContext(callTimeout: .seconds(2))

    /// - Parameters:
    ///   - devices: vpcd devices to configure; each gives two readers (pcsc-lite serves 16 at most).
    ///   - namePrefix: reader names are "<prefix> <n> 00 00" and "<prefix> <n> 00 01".
    public init(devices: Int = 6, namePrefix: String = "PermitStation Sandbox") {
        deviceCount = min(max(devices, 1), 8)
        self.namePrefix = namePrefix
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("permitstation-pcscd-\(getpid())-\(UUID().uuidString.prefix(8))")
        daemon = PrivateDaemon(directory: directory)
        socketPath = daemon.socketPath
    }

    /// Starts pcscd if it is not running yet, and returns once every reader is listed.
    public func start() async throws {
        if starting == nil { starting = Task { try await firstStart() } }
        do {
            try await starting!.value
        } catch {
            starting = nil  // let a later call try again (e.g. after installing a package)
            throw error
        }
    }

    private func firstStart() async throws {
        try PrivateDaemon.checkInstalled()
        if let current = ProcessInfo.processInfo.environment["PCSCLITE_CSOCK_NAME"], current != socketPath {
            throw SandboxError.socketNameTaken(current: current)
        }
        setenv("PCSCLITE_CSOCK_NAME", socketPath, 1)
        var taken = Set<Int>()
        var entries: [(friendlyName: String, port: Int)] = []
        for number in 1...deviceCount {
            let port = try freePortPair(avoiding: taken)
            taken.formUnion([port, port + 1])
            entries.append(("\(namePrefix) \(number)", port))
        }
        try daemon.writeConfiguration(entries)
        slots = entries.flatMap { entry in
            [SandboxSlot(readerName: "\(entry.friendlyName) 00 00", port: entry.port),
             SandboxSlot(readerName: "\(entry.friendlyName) 00 01", port: entry.port + 1)]
        }
        available = slots
        try await launch()
    }

    /// Takes a free reader, waiting up to `timeout` for one. A reader pcscd still shows with a
    /// card is handed out only if none is empty for a few seconds: a card pulled by the last user
    /// and a new one plugged in within vpcd's 400 ms poll would otherwise look like the old card
    /// still there (stale ATR).
    public func lease(timeout: Duration = .seconds(300)) async throws -> SandboxSlot {
        try await start()
        let deadline = ContinuousClock.now + timeout
        let preferEmptyUntil = ContinuousClock.now + .seconds(5)
        while true {
            if !exclusiveHeld && !available.isEmpty {
                let occupied = ContinuousClock.now < preferEmptyUntil
                    ? Set((try? await probe.readers())?.filter(\.hasCard).map(\.name) ?? [])
                    : []
                if !exclusiveHeld, let index = available.firstIndex(where: { !occupied.contains($0.readerName) }) {
                    return available.remove(at: index)
                }
            }
            guard ContinuousClock.now < deadline else { throw SandboxError.noFreeSlot(waitedSeconds: timeout.secondsValue) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public func release(_ slot: SandboxSlot) {
        if slots.contains(slot) && !available.contains(slot) { available.append(slot) }
    }

    /// Runs `body` with a leased reader and gives it back afterwards.
    public nonisolated func withSlot<T>(_ body: (SandboxSlot) async throws -> T) async throws -> T {
        let slot = try await lease()
        do {
            let result = try await body(slot)
            await release(slot)
            return result
        } catch {
            await release(slot)
            throw error
        }
    }

    /// Runs `body` while no one else holds a reader, so it may stop and restart pcscd
    /// (`stopDaemon`, `startDaemon`); `body` gets every reader. pcscd is running again when this returns.
    public nonisolated func withExclusiveDaemon<T>(_ body: ([SandboxSlot]) async throws -> T) async throws -> T {
        try await acquireExclusive()
        do {
            let result = try await body(await slots)
            try await releaseExclusive()
            return result
        } catch {
            try? await releaseExclusive()
            throw error
        }
    }

    /// Stops pcscd: SIGTERM, or SIGKILL to simulate a crash. Only inside `withExclusiveDaemon`.
    public func stopDaemon(crash: Bool = false) {
        precondition(exclusiveHeld, "stop pcscd only inside withExclusiveDaemon")
        daemon.stop(crash: crash)
    }

    /// Starts pcscd again with the same readers. Only inside `withExclusiveDaemon`.
    public func startDaemon() async throws {
        precondition(exclusiveHeld, "start pcscd only inside withExclusiveDaemon")
        if !daemon.isRunning { try await launch() }
    }

    /// Stops pcscd and removes its directory.
    public func shutdown() {
        daemon.stop()
        try? FileManager.default.removeItem(at: daemon.directory)
        starting = nil
    }

    private func acquireExclusive() async throws {
        try await start()
        while exclusiveHeld { try await Task.sleep(for: .milliseconds(20)) }
        exclusiveHeld = true
        while available.count < slots.count { try await Task.sleep(for: .milliseconds(20)) }
    }

    private func releaseExclusive() async throws {
        defer { exclusiveHeld = false }
        if !daemon.isRunning { try await launch() }
    }

    /// Starts the process and waits until pcscd lists every configured reader.
    private func launch() async throws {
        try daemon.start()
        let expected = Set(slots.map(\.readerName))
        let deadline = ContinuousClock.now + .seconds(15)
        var lastProblem = "no answer yet"
        while ContinuousClock.now < deadline {
            if let status = daemon.exitStatus {
                throw SandboxError.daemonDidNotStart(reason: "pcscd exited with status \(status)", log: daemon.logTail())
            }
            do {
                let listed = Set(try await probe.readerNames())
                if expected.isSubset(of: listed) { return }
                lastProblem = "readers listed so far: \(listed.sorted())"
            } catch {
                lastProblem = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(30))
        }
        daemon.stop()
        throw SandboxError.daemonDidNotStart(reason: "not ready within 15 s (\(lastProblem))", log: daemon.logTail())
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
