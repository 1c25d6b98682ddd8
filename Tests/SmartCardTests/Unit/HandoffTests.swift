import Foundation
@testable import SmartCard
import Testing

/// The hand-over a caller on a connection's executor waits on: the answer or the deadline,
/// whichever comes first, and a late answer is refused so the caller's side can undo it.
@Suite("Handoff")
struct HandoffTests {
    struct Late: Error {}

    @Test("an answer delivered before the wait is returned at once")
    func deliveredFirst() {
        let handoff = Handoff<Int>()
        #expect(handoff.deliver(.success(7)))
        let result = handoff.wait(spin: .zero, deadline: ContinuousClock.now + .seconds(5))
        #expect((try? result?.get()) == 7)
    }

    @Test("an answer from another thread wakes a waiter that has stopped spinning")
    func deliveredLater() {
        let handoff = Handoff<Int>()
        Thread {
            Thread.sleep(forTimeInterval: 0.05)
            _ = handoff.deliver(.failure(Late()))
        }.start()
        let result = handoff.wait(spin: .microseconds(10), deadline: ContinuousClock.now + .seconds(5))
        #expect(throws: Late.self) { try result?.get() }
    }

    @Test("past the deadline the waiter gets nothing and a later answer is refused")
    func deadlinePasses() {
        let handoff = Handoff<Int>()
        #expect(handoff.wait(spin: .microseconds(10), deadline: ContinuousClock.now + .milliseconds(20)) == nil)
        #expect(!handoff.deliver(.success(1)))
    }
}
