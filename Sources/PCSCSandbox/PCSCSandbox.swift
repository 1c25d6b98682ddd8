import Foundation
import SmartCard

/// A private pcscd with virtual (vpcd) readers, for tests, benchmarks and the demo; never
/// the machine's own pcscd.
///
/// libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so a process has one sandbox
/// (`shared`), started lazily; its readers are leased one per test so suites run in parallel.
/// Tests that stop or restart pcscd take the whole daemon with `withExclusiveDaemon`, which
/// waits until every reader is back and holds new leases until it is done. A reader is handed
/// out only empty, so no test sees the card of the one before.
public actor PCSCSandbox {
    public static let shared = PCSCSandbox()

    /// The socket clients use; exported as PCSCLITE_CSOCK_NAME when the sandbox starts.
    public nonisolated let socketPath: String
    /// All reader slots, two per vpcd device.
    public private(set) var slots: [SandboxSlot] = []
    private let deviceCount: Int
    private let namePrefix: String
    private let daemon: PrivateDaemon
    /// Free readers, the longest free first.
    private var available: [SandboxSlot] = []
    /// Who holds each leased reader, named in the errors of those who wait for it.
    private var holders: [SandboxSlot: String] = [:]
    /// Readers whose `withSlot` ended with a card still in them: no one will release them again,
    /// so they return to use once pcscd shows them empty.
    private var abandoned: Set<SandboxSlot> = []
    /// The first start, shared by every caller that arrives while it runs.
    private var starting: Task<Void, any Error>?
    private var exclusiveHeld = false
    /// Whether a user of the whole daemon holds it or waits for it (new leases wait meanwhile).
    public var isTakenWhole: Bool { exclusiveHeld }
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

    /// How many readers the current task holds through `withSlot`.
    @TaskLocal private static var slotsHeldByThisTask = 0

    /// Takes a free reader, waiting up to `timeout` for one. Every free reader is empty: `release`
    /// hands a reader back only once pcscd shows its card gone. `holder` (a test's name) is named
    /// to anyone who waits in vain for the reader.
    ///
    /// While a user of the whole daemon waits for every reader to come back, new leases wait too,
    /// except for a task inside `withSlot` asking for a second reader: it cannot give back its
    /// first before it has the second, so holding it back would wait forever.
    public func lease(holder: String = "an unnamed caller", timeout: Duration = .seconds(300)) async throws -> SandboxSlot {
        try await start()
        try await restartIfItDied()
        let deadline = ContinuousClock.now + timeout
        while (exclusiveHeld && Self.slotsHeldByThisTask == 0) || available.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw SandboxError.noFreeSlot(waitedSeconds: timeout.secondsValue, heldForWholeDaemon: exclusiveHeld, leases: leaseList())
            }
            try await Task.sleep(for: .milliseconds(20))
            await reclaimEmptied()
        }
        let slot = available.removeFirst()
        holders[slot] = holder
        return slot
    }

    /// Gives a reader back once pcscd shows it empty. A card pulled by the last user and a new one
    /// plugged in within vpcd's 400 ms presence poll would otherwise look like the old card still
    /// there (its stale ATR). A reader still full after `timeout` stays leased to its holder, who
    /// may stop the card and release it again; the error names it: whatever put the card there is
    /// still running.
    public func release(_ slot: SandboxSlot, timeout: Duration = .seconds(10)) async throws(SandboxError) {
        guard holders[slot] != nil else { return }
        try await waitUntilEmpty([slot.readerName], timeout: timeout)
        abandoned.remove(slot)
        holders[slot] = nil
        if !available.contains(slot) { available.append(slot) }
    }

    /// Who holds `slot`, if anyone.
    public func holder(of slot: SandboxSlot) -> String? { holders[slot] }

    /// A reader `withSlot` could not give back (a card still in it) is out of its holder's hands:
    /// it returns to use once pcscd shows it empty. Only such readers: one whose holder still has it
    /// must not be handed out under them.
    private func abandon(_ slot: SandboxSlot) {
        if holders[slot] != nil { abandoned.insert(slot) }
    }

    /// Abandoned readers return to use once pcscd shows them empty.
    private func reclaimEmptied() async {
        guard !abandoned.isEmpty, let statuses = try? await probe.readers() else { return }
        let full = Set(statuses.filter(\.hasCard).map(\.name))
        for slot in abandoned where !full.contains(slot.readerName) {
            abandoned.remove(slot)
            holders[slot] = nil
            available.append(slot)
        }
    }

    /// Runs `body` with a leased reader and gives it back afterwards; a card `body` leaves in
    /// the reader fails the call (see `release`), and the reader returns to use once it is empty.
    public nonisolated func withSlot<T>(holder: String = "an unnamed caller", _ body: (SandboxSlot) async throws -> T) async throws -> T {
        let slot = try await lease(holder: holder)
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await Self.$slotsHeldByThisTask.withValue(Self.slotsHeldByThisTask + 1) { try await body(slot) })
        } catch {
            outcome = .failure(error)
        }
        do {
            try await release(slot)
        } catch {
            await abandon(slot)
            if case .success = outcome { throw error }
        }
        return try outcome.get()
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

    /// Waits for other exclusive users, then holds new leases and waits for every reader to come
    /// back. A test that holds a reader while it asks for the whole daemon would wait forever: the
    /// time limit turns that into an error naming the readers and their holders.
    private func acquireExclusive(timeout: Duration = .seconds(300)) async throws {
        try await start()
        let deadline = ContinuousClock.now + timeout
        while exclusiveHeld {
            guard ContinuousClock.now < deadline else { throw SandboxError.readersStillLeased([], waitedSeconds: timeout.secondsValue) }
            try await Task.sleep(for: .milliseconds(20))
        }
        exclusiveHeld = true
        while available.count < slots.count {
            guard ContinuousClock.now < deadline else {
                exclusiveHeld = false
                throw SandboxError.readersStillLeased(leaseList(), waitedSeconds: timeout.secondsValue)
            }
            try await Task.sleep(for: .milliseconds(20))
            await reclaimEmptied()
        }
        try await restartIfItDied()
    }

    /// "reader (holder)" for every leased reader.
    private func leaseList() -> [String] {
        holders.map { "\($0.key.readerName) (\(abandoned.contains($0.key) ? "a card left by " : "")\($0.value))" }.sorted()
    }

    /// pcscd runs again and every reader is empty before anyone else gets one.
    private func releaseExclusive() async throws {
        defer { exclusiveHeld = false }
        if !daemon.isRunning { try await launch() }
        try await waitUntilEmpty(Set(slots.map(\.readerName)), timeout: .seconds(10))
    }

    /// Waits until pcscd shows none of `readers` holding a card.
    private func waitUntilEmpty(_ readers: Set<String>, timeout: Duration) async throws(SandboxError) {
        let deadline = ContinuousClock.now + timeout
        var full = readers
        while true {
            if let statuses = try? await probe.readers() {
                full = readers.intersection(statuses.filter(\.hasCard).map(\.name))
                if full.isEmpty { return }
            }
            guard ContinuousClock.now < deadline else { throw .cardLeftInReader(full.sorted(), waitedSeconds: timeout.secondsValue) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A pcscd that exited without being asked (a crash) is started again, and its log goes to
    /// standard error: the test that saw it go has failed with a PC/SC error, and the next ones
    /// should not fail for the same reason.
    private func restartIfItDied() async throws {
        guard let status = daemon.exitStatus else { return }
        let note = "PCSCSandbox: the private pcscd exited by itself (status \(status)); starting it again. Its log ends with:\n\(daemon.logTail())\n"
        FileHandle.standardError.write(Data(note.utf8))
        try await launch()
    }

    /// Starts the process and waits until pcscd lists every configured reader.
    private func launch() async throws {
        try daemon.start()
        let expected = Set(slots.map(\.readerName))
        var lastProblem = "no answer yet"
        let ready = try await Self.poll(timeout: .seconds(15), interval: .milliseconds(30)) { () async throws -> Bool? in
            if let status = daemon.exitStatus {
                throw SandboxError.daemonDidNotStart(reason: "pcscd exited with status \(status)", log: daemon.logTail())
            }
            do {
                let listed = Set(try await probe.readerNames())
                if expected.isSubset(of: listed) { return true }
                lastProblem = "readers listed so far: \(listed.sorted())"
            } catch {
                lastProblem = "\(error)"
            }
            return nil
        }
        if ready == nil {
            daemon.stop()
            throw SandboxError.daemonDidNotStart(reason: "not ready within 15 s (\(lastProblem))", log: daemon.logTail())
        }
    }
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
