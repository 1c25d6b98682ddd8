import CPCSCLite
import Synchronization

/// One SCARDCONTEXT and the thread that uses it.
///
/// pcsc-lite serialises calls per context, so a blocked SCardGetStatusChange would hold up a
/// transmit on the same context: each watcher and each connection gets its own session. When
/// pcscd goes away (SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, an invalid handle) the context
/// is dropped and established afresh on the next call, so callers never restart anything.
final class PCSCSession: @unchecked Sendable {
    let worker: WorkerThread
    let callTimeout: Duration
    /// The current context; read from other threads only to SCardCancel it.
    private let current = Mutex<SCARDCONTEXT?>(nil)

    init(name: String, callTimeout: Duration) {
        worker = WorkerThread(name: name)
        self.callTimeout = callTimeout
    }

    deinit {
        let context = current.withLock { $0 }
        worker.enqueue { if let context { _ = SCardReleaseContext(context) } }
        worker.stop()
    }

    /// Releases the context on its thread and waits for that. A program about to exit calls
    /// this (through `PCSCContext.close()` and friends): libpcsclite's exit-time destructor
    /// frees its context list, so a release still running at exit could crash it.
    func close() async {
        _ = try? await worker.run(
            timeout: callTimeout,
            timeoutError: { SmartCardError.timedOut(step: .disconnect, reader: nil, seconds: self.callTimeout.seconds) }
        ) { self.drop() }
    }

    /// Runs `body` with a live context on the session's thread, within the call time limit.
    /// A service loss drops the context; `retry` runs `body` once more on a fresh one
    /// (only for calls that are safe to repeat, such as listing readers).
    func perform<T: Sendable>(
        _ step: PCSCStep, reader: String? = nil, retry: Bool = true,
        timeout: Duration? = nil, lateResult: (@Sendable (T) -> Void)? = nil,
        _ body: @escaping @Sendable (SCARDCONTEXT) throws -> T
    ) async throws -> T {
        let limit = timeout ?? callTimeout
        let timeoutError: @Sendable () -> any Error = { SmartCardError.timedOut(step: step, reader: reader, seconds: limit.seconds) }
        let job: @Sendable () throws -> T = {
            do {
                return try body(try self.context())
            } catch let error as PCSCError where error.meansServiceLost {
                self.drop()
                guard retry else { throw error }
                return try body(try self.context())
            }
        }
        return try await worker.run(timeout: limit, timeoutError: timeoutError, lateResult: lateResult, job)
    }

    /// The live context, established if needed. Worker thread only.
    func context() throws(PCSCError) -> SCARDCONTEXT {
        if let context = current.withLock({ $0 }) { return context }
        var context: SCARDCONTEXT = 0
        try check(SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), nil, nil, &context), .establishContext)
        current.withLock { $0 = context }
        return context
    }

    /// Forgets a context pcscd no longer knows. Worker thread only.
    func drop() {
        if let context = current.withLock({ state -> SCARDCONTEXT? in defer { state = nil }; return state }) {
            _ = SCardReleaseContext(context)
        }
    }

    /// Wakes a blocked SCardGetStatusChange (from any thread).
    func cancelWait() {
        if let context = current.withLock({ $0 }) { _ = SCardCancel(context) }
    }
}

/// Throws the PCSCError for a non-success return value.
func check(_ returnValue: LONG, _ step: PCSCStep, reader: String? = nil) throws(PCSCError) {
    if let error = PCSCError(returnValue: Int(returnValue), reader: reader, step: step) { throw error }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
