import GRDB
import Lifecycle

extension Registry {
    /// Applies, in order, every calendar transition of `permit` that takes effect on or before `date`,
    /// recording a status change for each (and a points lapse where the policy says so). The caller
    /// saves `permit`. Shared by the sweep and by every event write, so both reach the same state.
    @discardableResult
    static func advance(_ permit: inout Permit, through date: CalendarDate, policy: RegionPolicy,
                        db: Database, context: WriteContext) throws -> (transitions: Int, pointsLapses: Int) {
        let state = permit.state
        var applied = 0, lapses = 0
        while let on = permit.nextOn, let to = permit.nextStatus, on <= date {
            let trigger: TransitionTrigger
            var reason: String
            switch to {
            case .windowOpen: trigger = .windowOpened
            case .suspended: trigger = .expired
            case .cancellationDue: trigger = .overdue
            case .cancelled: trigger = .officerCancellation
            case .inForce:
                throw RegistryError.refused(permit: permit.id ?? 0, .transitionNotAllowed(from: permit.status, to: to, trigger: .windowOpened))
            }
            reason = trigger.rawValue
            if to == .cancelled, let cause = state.cancellation {
                reason += ":" + cause.reason.rawValue
            }
            if try recordStatusChange(&permit, to: to, trigger: trigger, reason: reason, on: on, policy: policy, db: db, context: context) {
                lapses += 1
            }
            let next = state.nextTransition(after: on, policy: policy)
            permit.nextOn = next?.on
            permit.nextStatus = next?.to
            applied += 1
        }
        return (applied, lapses)
    }

    /// Checks the whitelist, appends the status change, lapses points if due, and updates `permit` in memory.
    /// Returns whether valid points lapsed (points already past their year end just stop counting).
    @discardableResult
    static func recordStatusChange(_ permit: inout Permit, to: PermitStatus, trigger: TransitionTrigger, reason: String,
                                   on: CalendarDate, policy: RegionPolicy, db: Database, context: WriteContext) throws -> Bool {
        let id = permit.id ?? 0
        do throws(LifecycleError) {
            try StatusTransition.check(from: permit.status, to: to, by: trigger)
        } catch {
            throw RegistryError.refused(permit: id, error)
        }
        try db.cachedStatement(sql: """
            INSERT INTO status_changes (permit_id, previous_id, from_status, to_status, reason, effective_on, actor, station, transaction_id, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, permit.lastChangeId, permit.status, to, reason, on, context.actor, context.station,
                                     context.transactionId, context.recordedAt])
        permit.lastChangeId = db.lastInsertedRowID
        var lapsed = false
        if !to.isInForce, permit.pointsActive, permit.pointsValid(on: on) {
            var lapse = PointsEvent(id: nil, permitId: id, kind: .lapsed, effectiveOn: on, cause: to.rawValue,
                                    actor: context.actor, station: context.station,
                                    transactionId: context.transactionId, recordedAt: context.recordedAt, validUntil: nil)
            try lapse.insert(db)
            lapsed = true
        }
        if !to.isInForce {
            permit.pointsActive = false
            permit.pointsValidUntil = nil
        }
        permit.status = to
        permit.statusOn = on
        permit.lastEventOn = max(permit.lastEventOn, on)
        return lapsed
    }
}
