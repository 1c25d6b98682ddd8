import GRDB
import PermitVocabulary

/// One run of the daily sweep, as the daemon records it: a run still `running` after a restart was cut
/// short (the sweep is idempotent, so the next run finishes its work).
public struct SweepRun: RegistryRecord, Hashable {
    public static let databaseTableName = "sweep_runs"

    public enum Trigger: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// The configured time of day.
        case schedule
        /// The daemon started and the last completed sweep was before today.
        case startup
        /// An officer asked for it (POST /sweep).
        case officer
    }

    public enum Outcome: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case running, completed
        /// Stopped between two batches (the daemon was asked to stop); every committed batch is kept.
        case stopped
        case failed
    }

    public var id: Int64?
    public var throughOn: CalendarDate
    public var trigger: Trigger
    public var actor: String
    public var startedAt: String
    public var finishedAt: String?
    public var outcome: Outcome
    public var message: String?
    public var transitions: Int
    public var permits: Int
    public var suspensions: Int
    /// Permits that became due for cancellation (the sweep never cancels).
    public var cancellationsDue: Int
    public var windowsOpened: Int
    public var pointsLapses: Int
}

extension Registry {
    /// Sweeps through `date` and records the run: started, then completed, stopped or failed with the
    /// totals so far. `shouldStop` is asked after each committed batch.
    /// - Returns: the recorded run (its outcome says how it ended; a failure is recorded, not thrown,
    ///   unless the registry cannot record it either).
    public func recordedSweep(through date: CalendarDate, trigger: SweepRun.Trigger, actor: String, batchSize: Int = 2000,
                              shouldStop: @escaping () -> Bool = { false }) throws(RegistryError) -> SweepRun {
        var run = try write(actor: actor) { db, context -> SweepRun in
            var run = SweepRun(id: nil, throughOn: date, trigger: trigger, actor: actor, startedAt: context.recordedAt, finishedAt: nil,
                               outcome: .running, message: nil, transitions: 0, permits: 0, suspensions: 0, cancellationsDue: 0,
                               windowsOpened: 0, pointsLapses: 0)
            try run.insert(db)
            return run
        }
        struct Stop: Error {}
        var summary = SweepSummary()
        var stopped = false
        do {
            summary = try sweep(through: date, batchSize: batchSize, actor: actor) { total in
                summary = total
                if shouldStop() {
                    stopped = true
                    throw Stop()
                }
            }
            run.outcome = .completed
        } catch where stopped {
            run.outcome = .stopped
            run.message = "stopped after \(summary.batches) batch(es): the daemon was asked to stop; the next sweep finishes the rest"
        } catch {
            run.outcome = .failed
            run.message = error.description
        }
        run.transitions = summary.transitions
        run.permits = summary.permits
        run.suspensions = summary.suspensions
        run.cancellationsDue = summary.cancellationsDue
        run.windowsOpened = summary.windowsOpened
        run.pointsLapses = summary.pointsLapses
        let finished = run
        return try write(actor: actor) { db, context -> SweepRun in
            var run = finished
            run.finishedAt = context.recordedAt
            try run.update(db)
            return run
        }
    }

    /// The newest run, whatever its outcome.
    public func lastSweepRun() throws(RegistryError) -> SweepRun? {
        try read { db in try SweepRun.order(Column("id").desc).fetchOne(db) }
    }

    /// The latest day a sweep completed through, or nil if none ever did.
    public func lastCompletedSweep() throws(RegistryError) -> CalendarDate? {
        try read { db in
            try CalendarDate.fetchOne(db, sql: "SELECT max(through_on) FROM sweep_runs WHERE outcome = 'completed'")
        }
    }
}
