import Foundation

/// One thread that fires every PC/SC call's time limit. Cheaper per call than a sleeping
/// Task: arming and disarming are a lock and a dictionary update, and the thread wakes only
/// when the earliest limit is due (calls in flight are few, so finding it is cheap).
final class Watchdog: @unchecked Sendable {
    static let shared = Watchdog()

    private let condition = NSCondition()
    // All guarded by `condition`.
    private var alarms: [Int: (deadline: ContinuousClock.Instant, fire: @Sendable () -> Void)] = [:]
    private var nextID = 0
    private var sleepingUntil: ContinuousClock.Instant?

    private init() {
        Thread { [self] in
            nameCurrentThread("pcsc-watchdog")
            loop()
        }.start()
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
