import Foundation
import Synchronization

/// A thread of the layer's own with a job queue: one per PC/SC context.
///
/// Swift's cooperative pool has one thread per core (two here): a blocked SCardTransmit or
/// SCardGetStatusChange on it would stall every other task. So each context's calls run here, one
/// after another, and callers await the result through a continuation with a time limit.
final class WorkerThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() -> Void] = []  // guarded by `condition`
    private var stopping = false          // guarded by `condition`

    init(name: String) {
        Thread { [self] in
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

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            condition.unlock()
            job()
        }
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
