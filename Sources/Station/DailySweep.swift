import Foundation
import PermitVocabulary
import Logging
import Metrics
import Registry
import ServiceLifecycle

/// Runs the registry's sweep every day at the configured time, once on start when the last completed
/// sweep is older than today (a day was missed, or a run was cut short), and when an officer asks.
/// One sweep at a time; a stop request ends it after the batch in hand (every committed batch is kept).
public actor DailySweep: Service {
    let runtime: StationRuntime
    private var running: SweepRun.Trigger?
    private var stopRequested = false
    /// The stop flag of the sweep in hand, set when the daemon is asked to stop.
    private var currentStop: StopFlag?

    public enum Refusal: Error, Sendable, Equatable {
        /// Another sweep is running.
        case busy(SweepRun.Trigger)
        /// The day has not come yet.
        case future(CalendarDate, today: CalendarDate)
    }

    public init(runtime: StationRuntime) {
        self.runtime = runtime
    }

    public var isRunning: Bool { running != nil }

    /// When the next scheduled sweep starts.
    public nonisolated func nextScheduled() -> Date {
        runtime.calendar.next(runtime.configuration.sweep.at, after: runtime.calendar.instant)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown { await self.schedule() }
        } onGracefulShutdown: {
            Task { await self.requestStop() }
        }
    }

    /// Catches up a missed day, then sleeps until each day's sweep time and sweeps; returns when
    /// cancelled (the daemon stops).
    private func schedule() async {
        let today = runtime.calendar.today
        do {
            let last = try runtime.registry.lastCompletedSweep()
            if last.map({ $0 < today }) ?? true {
                runtime.logger.notice("the last completed sweep was \(last.map(\.description) ?? "never"); sweeping through \(today) now")
                _ = try await sweep(through: today, trigger: .startup, actor: "permitd")
            }
        } catch {
            runtime.logger.error("the start-up sweep did not run: \(error)")
        }
        while !stopRequested {
            let next = nextScheduled()
            runtime.logger.info("next sweep at \(next)")
            try? await Task.sleep(for: .seconds(max(1, next.timeIntervalSince(runtime.calendar.instant))))
            if Task.isCancelled { return }
            // The configured time may have changed meanwhile (reload): sleep again unless it has come.
            guard runtime.calendar.instant >= next.addingTimeInterval(-1) else { continue }
            _ = try? await sweep(through: runtime.calendar.today, trigger: .schedule, actor: "permitd")
        }
    }

    private func requestStop() {
        stopRequested = true
        currentStop?.set()
    }

    /// Sweeps through `date` now, unless a sweep is running or the day has not come.
    public func sweep(through date: CalendarDate, trigger: SweepRun.Trigger, actor: String) async throws -> SweepRun {
        let today = runtime.calendar.today
        guard date <= today else { throw Refusal.future(date, today: today) }
        if let running { throw Refusal.busy(running) }
        running = trigger
        defer { running = nil }
        let registry = runtime.registry
        let batchSize = runtime.configuration.sweep.batchSize
        let stop = StopFlag()
        if stopRequested { stop.set() }
        currentStop = stop
        defer { currentStop = nil }
        // SQLite work blocks its thread: keep it off Swift's cooperative pool.
        let run = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<SweepRun, Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { () throws(RegistryError) -> SweepRun in
                    try registry.recordedSweep(through: date, trigger: trigger, actor: actor, batchSize: batchSize, shouldStop: stop.isSet)
                })
            }
        }
        Counter(label: "permitstation_sweep_runs_total", dimensions: [("trigger", trigger.rawValue), ("outcome", run.outcome.rawValue)]).increment()
        Counter(label: "permitstation_sweep_transitions_total").increment(by: run.transitions)
        Counter(label: "permitstation_sweep_suspensions_total").increment(by: run.suspensions)
        Counter(label: "permitstation_sweep_cancellations_due_total").increment(by: run.cancellationsDue)
        Gauge(label: "permitstation_sweep_last_completed_day").record(run.outcome == .completed ? Double(date.dayNumber) * 86_400 : 0)
        let level: Logger.Level = run.outcome == .completed ? .notice : .error
        runtime.logger.log(level: level, "sweep through \(date) (\(trigger.rawValue)) \(run.outcome.rawValue): \(run.transitions) change(s) on \(run.permits) permit(s), \(run.suspensions) suspended, \(run.cancellationsDue) due for cancellation\(run.message.map { "; \($0)" } ?? "")")
        await runtime.events.publish(.sweepFinished, sweep: run)
        return run
    }
}

/// A flag set from one task and read from the sweep's thread.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    func isSet() -> Bool { lock.withLock { value } }
}
