import GRDB
import Lifecycle

extension Registry {
    /// Applies, in order, every calendar transition of `permit` that takes effect on or before `date`,
    /// recording a status change for each (and a points lapse where the policy says so). The caller
    /// saves `permit`. Shared by the sweep and by every event write, so both reach the same state.
    @discardableResult
    static func advance(_ permit: inout Permit, through date: CalendarDate, policy: RegionPolicy,
                        db: Database, context: WriteContext) throws -> Int {
        let state = permit.state
        var applied = 0
        while let on = permit.nextOn, let to = permit.nextStatus, on <= date {
            let trigger: TransitionTrigger
            var reason: String
            switch to {
            case .windowOpen: trigger = .windowOpened
            case .suspended: trigger = .expired
            case .cancelled:
                let cause = state.cancellation(on: on, policy: policy)
                trigger = cause?.reason == .overdue ? .overdue : .officerCancellation
            case .inForce:
                throw RegistryError.refused(permit: permit.id ?? 0, .transitionNotAllowed(from: permit.status, to: to, trigger: .windowOpened))
            }
            reason = trigger.rawValue
            if to == .cancelled, let cause = state.cancellation(on: on, policy: policy), trigger == .officerCancellation {
                reason += ":" + cause.reason.rawValue
            }
            try recordStatusChange(&permit, to: to, trigger: trigger, reason: reason, on: on, policy: policy, db: db, context: context)
            let next = state.nextTransition(after: on, policy: policy)
            permit.nextOn = next?.on
            permit.nextStatus = next?.to
            applied += 1
        }
        return applied
    }

    /// Checks the whitelist, appends the status change, lapses points if due, and updates `permit` in memory.
    static func recordStatusChange(_ permit: inout Permit, to: PermitStatus, trigger: TransitionTrigger, reason: String,
                                   on: CalendarDate, policy: RegionPolicy, db: Database, context: WriteContext) throws {
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
        if !to.isInForce, permit.pointsActive, policy.pointsLapseOnSuspension {
            var lapse = PointsEvent(id: nil, permitId: id, kind: .lapsed, effectiveOn: on, cause: to.rawValue,
                                    actor: context.actor, station: context.station,
                                    transactionId: context.transactionId, recordedAt: context.recordedAt)
            try lapse.insert(db)
            permit.pointsActive = false
        }
        permit.status = to
        permit.statusOn = on
        permit.lastEventOn = max(permit.lastEventOn, on)
    }
}
