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
    /// Jobs queued, readable without the lock: the thread spins on it briefly before sleeping.
    private let queued = Atomic<Int>(0)

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
    /// answer: spinning that long is cheaper than a sleep and a wake-up per APDU.
    private func awaitNextJobBriefly() {
        let until = ContinuousClock.now + .microseconds(50)
        while queued.load(ordering: .acquiring) == 0 && ContinuousClock.now < until {}
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

/// One thread that fires every PC/SC call's time limit. Cheaper per call than a sleeping
/// Task: arming and disarming are a lock and a dictionary update, and the thread wakes only
/// when the earliest limit is due (calls in flight are few, so finding it is cheap).
private final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()

    private let condition = NSCondition()
    // All guarded by `condition`.
    private var alarms: [Int: (deadline: ContinuousClock.Instant, fire: @Sendable () -> Void)] = [:]
    private var nextID = 0
    private var sleepingUntil: ContinuousClock.Instant?

    private init() {
        let thread = Thread { [self] in loop() }
        thread.name = "pcsc-watchdog"
        thread.start()
    }

    func watch(deadline: ContinuousClock.Instant, fire: @escaping @Sendable () -> Void) -> Int {
        condition.lock()
        defer { condition.unlock() }
        nextID += 1
        alarms[nextID] = (deadline, fire)
        if sleepingUntil.map({ deadline < $0 }) ?? true { condition.signal() }
        return nextID
    }

    func cancel(_ id: Int) {
        condition.lock()
        alarms[id] = nil
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while true {
            let now = ContinuousClock.now
            let due = alarms.filter { $0.value.deadline <= now }
            if !due.isEmpty {
                due.keys.forEach { alarms[$0] = nil }
                condition.unlock()
                due.values.forEach { $0.fire() }
                condition.lock()
                continue
            }
            sleepingUntil = alarms.values.map(\.deadline).min()
            if let next = sleepingUntil {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(now.duration(to: next).seconds, 0.001)))
            } else {
                condition.wait()
            }
        }
    }
}
