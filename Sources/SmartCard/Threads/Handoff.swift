import Foundation
import Synchronization

/// One result handed from a worker thread to a thread that waits for it, at most until a deadline.
/// Waiting spins first (an answer from a local reader comes within tens of microseconds, sooner
/// than a sleeping thread wakes) and then sleeps.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, any Error>?  // guarded by `condition`
    private var abandoned = false              // guarded by `condition`
    private let ready = Atomic<Bool>(false)

    /// Returns false when the waiter gave up.
    func deliver(_ value: Result<T, any Error>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !abandoned else { return false }
        result = value
        ready.store(true, ordering: .releasing)
        condition.signal()
        return true
    }

    /// The result, or nil when `deadline` passed first (a later `deliver` then returns false).
    func wait(spin: Duration, deadline: ContinuousClock.Instant) -> Result<T, any Error>? {
        let spinUntil = min(ContinuousClock.now + spin, deadline)
        while !ready.load(ordering: .acquiring) && ContinuousClock.now < spinUntil { sched_yield() }
        condition.lock()
        defer { condition.unlock() }
        while result == nil {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                abandoned = true
                return nil
            }
            _ = condition.wait(until: Date(timeIntervalSinceNow: left.seconds))
        }
        return result
    }
}
