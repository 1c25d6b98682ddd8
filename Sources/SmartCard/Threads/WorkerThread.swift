import Foundation
import Synchronization

/// A thread of the layer's own with a job queue.
///
/// Swift's cooperative pool has one thread per core (two here): a blocked SCardTransmit or
/// SCardGetStatusChange on it would stall every other task. Each PC/SC context owns one of
/// these threads for its blocking calls; callers await the result through a continuation with a
/// time limit. A `ConnectionExecutor` runs tasks on another one.
final class WorkerThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() -> Void] = []  // guarded by `condition`
    private var stopping = false          // guarded by `condition`
    /// Jobs queued, readable without the lock: the thread spins on it briefly before sleeping.
    private let queued = Atomic<Int>(0)
    /// How long the thread spins for the next job before it sleeps.
    private let spin: Duration

    /// `onStart` runs first on the new thread (to mark it).
    init(name: String, spin: Duration = .microseconds(50), onStart: (@Sendable () -> Void)? = nil) {
        self.spin = spin
        Thread { [self] in
            onStart?()
            nameCurrentThread(name)
            loop()
        }.start()
    }

    /// Lets queued jobs finish, then ends the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    /// Queues a job without waiting for it (cleanup on close).
    func enqueue(_ job: @escaping () -> Void) {
        condition.lock()
        queue.append(job)
        queued.add(1, ordering: .releasing)
        condition.signal()
        condition.unlock()
    }

    /// Runs `body` on the thread and waits at most `timeout` for it. If the time runs out the
    /// caller gets `timeoutError()`; when the body finishes later, `lateResult` undoes its
    /// effect (a late transaction is ended, a late connection closed).
    func run<T: Sendable>(
        timeout: Duration,
        timeoutError: @escaping @Sendable () -> any Error,
        lateResult: (@Sendable (T) -> Void)? = nil,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let gate = Gate<T>()
        return try await withCheckedThrowingContinuation { continuation in
            gate.arm(continuation)
            let alarm = Watchdog.shared.watch(deadline: ContinuousClock.now + timeout) { _ = gate.finish(.failure(timeoutError())) }
            enqueue {
                let result = Result { try body() }
                Watchdog.shared.cancel(alarm)
                if !gate.finish(result), case .success(let value) = result { lateResult?(value) }
            }
        }
    }

    /// The same for a caller on a thread that may block (a `ConnectionExecutor`'s): it waits for
    /// the answer itself, spinning for `spin` first, instead of suspending its task.
    func runWaiting<T: Sendable>(
        timeout: Duration,
        timeoutError: @escaping @Sendable () -> any Error,
        lateResult: (@Sendable (T) -> Void)? = nil,
        spin: Duration,
        _ body: @escaping @Sendable () throws -> T
    ) throws -> T {
        let handoff = Handoff<T>()
        enqueue {
            let result = Result { try body() }
            if !handoff.deliver(result), case .success(let value) = result { lateResult?(value) }
        }
        guard let result = handoff.wait(spin: spin, deadline: ContinuousClock.now + timeout) else { throw timeoutError() }
        return try result.get()
    }

    private func loop() {
        while true {
            awaitNextJobBriefly()
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            queued.subtract(1, ordering: .relaxed)
            condition.unlock()
            job()
        }
    }

    /// A caller sending APDU after APDU queues the next one a few microseconds after the last
    /// answer: spinning that long is cheaper than a sleep and a wake-up per APDU. The spin yields
    /// the core to any other thread that wants it (pcscd, the reader driver) on each turn.
    private func awaitNextJobBriefly() {
        let until = ContinuousClock.now + spin
        while queued.load(ordering: .acquiring) == 0 && ContinuousClock.now < until { sched_yield() }
    }
}

/// Resumes a continuation exactly once: with the job's result or with the timeout, whichever comes first.
private final class Gate<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    /// Returns false when the other side already finished.
    func finish(_ result: Result<T, any Error>) -> Bool {
        guard let continuation = continuation.withLock({ state -> CheckedContinuation<T, any Error>? in
            defer { state = nil }
            return state
        }) else { return false }
        continuation.resume(with: result)
        return true
    }
}
