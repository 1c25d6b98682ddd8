import GRDB
import Lifecycle

/// What a sweep did.
public struct SweepSummary: Sendable, Hashable {
    /// Status changes recorded.
    public var transitions = 0
    /// Permits touched.
    public var permits = 0
    /// Permits whose status at the end of the sweep is newly suspended / due for cancellation / windowOpen.
    /// The sweep never cancels: cancellation is an officer's determination.
    public var suspensions = 0
    public var cancellationsDue = 0
    public var windowsOpened = 0
    public var pointsLapses = 0
    /// Transactions committed.
    public var batches = 0

    public init() {}
}

extension Registry {
    /// Applies every transition due on or before `date`, in transactions of at most `batchSize` permits.
    ///
    /// It reads only permits whose indexed `next_on` is due, so its cost follows the number of
    /// transitions due, not the size of the registry. Each permit is advanced completely inside one
    /// transaction and leaves the due set, so a second run (or a run after a crash between batches)
    /// finds only what is still due: sweeping twice equals sweeping once.
    /// - Parameter afterBatch: called after each committed batch with the running totals (progress);
    ///   if it throws, the sweep stops there, with every committed batch kept.
    @discardableResult
    public func sweep(through date: CalendarDate, batchSize: Int = 2000, actor: String = "sweep",
                      afterBatch: (SweepSummary) throws -> Void = { _ in }) throws(RegistryError) -> SweepSummary {
        // A day that has not come is never applied: its transitions may still be prevented (an endorsement today).
        try requireHappened(date, field: "through")
        var total = SweepSummary()
        while true {
            let batch = try write(actor: actor) { db, context -> SweepSummary in
                var summary = SweepSummary()
                let due = try Permit.fetchAll(db.cachedStatement(sql: "SELECT * FROM permits WHERE next_on <= ? ORDER BY next_on LIMIT ?"),
                                              arguments: [date, batchSize])
                for var permit in due {
                    let policy = try self.policy(for: permit.profile)
                    let before = permit
                    let applied = try Self.advance(&permit, through: date, policy: policy, db: db, context: context)
                    summary.transitions += applied.transitions
                    summary.pointsLapses += applied.pointsLapses
                    summary.permits += 1
                    if before.status != permit.status {
                        switch permit.status {
                        case .suspended: summary.suspensions += 1
                        case .cancellationDue: summary.cancellationsDue += 1
                        case .windowOpen: summary.windowsOpened += 1
                        case .inForce, .cancelled: break
                        }
                    }
                    try db.cachedStatement(sql: """
                        UPDATE permits SET status = ?, status_on = ?, next_on = ?, next_status = ?, last_event_on = ?, last_change_id = ?,
                               points_active = ?, points_valid_until = ?
                        WHERE id = ?
                        """).execute(arguments: [permit.status, permit.statusOn, permit.nextOn, permit.nextStatus,
                                                 permit.lastEventOn, permit.lastChangeId, permit.pointsActive, permit.pointsValidUntil, permit.id])
                }
                return summary
            }
            guard batch.permits > 0 else { break }
            total.transitions += batch.transitions
            total.permits += batch.permits
            total.suspensions += batch.suspensions
            total.cancellationsDue += batch.cancellationsDue
            total.windowsOpened += batch.windowsOpened
            total.pointsLapses += batch.pointsLapses
            total.batches += 1
            do {
                try afterBatch(total)
            } catch let error as RegistryError {
                throw error
            } catch {
                throw .database(path: path, message: "the sweep was stopped after \(total.batches) batches: \(error)")
            }
            if batch.permits < batchSize { break }
        }
        return total
    }
}
