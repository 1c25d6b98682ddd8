import Foundation
import Synchronization

/// A dedicated thread for blocking libpcsclite calls.
///
/// Swift's cooperative pool has one thread per core (two here): a blocked SCardTransmit or
/// SCardGetStatusChange on it would stall every other task. Each PC/SC context owns one of
/// these threads; callers await the result through a continuation with a time limit.
final class BlockingWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() -> Void] = []  // guarded by `condition`
    private var stopping = false          // guarded by `condition`

    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
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
            enqueue {
                let result = Result { try body() }
                if !gate.finish(result), case .success(let value) = result { lateResult?(value) }
            }
            gate.watch(Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { _ = gate.finish(.failure(timeoutError())) }
            })
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
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
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var done = false
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func watch(_ timer: Task<Void, Never>) {
        let finished = state.withLock { state -> Bool in
            if state.done { return true }
            state.timer = timer
            return false
        }
        if finished { timer.cancel() }
    }

    /// Returns false when the other side already finished.
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
            if state.done { return (nil, nil) }
            state.done = true
            defer { state.continuation = nil; state.timer = nil }
            return (state.continuation, state.timer)
        }
        guard let continuation else { return false }
        timer?.cancel()
        continuation.resume(with: result)
        return true
    }
}
