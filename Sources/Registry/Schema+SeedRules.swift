import GRDB
import Lifecycle

extension RegistrySchema {
    /// The rules as the seeds write them (issue 16): a permit's validity cycle and residence period kept apart,
    /// the `cancellationDue` status, officers' determinations, refusals, eligibility, temporary permits,
    /// workplace changes with deadlines, fees, points validity, renewal and replacement applications.
    ///
    /// `permits` is rebuilt (SQLite cannot change a CHECK constraint in place); every other table gains
    /// columns or is new. The Swift half, `SeedRulesMigration`, then fills the new state columns.
    static let v5SeedRules = """
    CREATE TABLE permits_v5 (
        id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL UNIQUE REFERENCES applications(id),
        holder_id INTEGER NOT NULL REFERENCES holders(id),
        profile TEXT NOT NULL,
        issued_on INTEGER NOT NULL,
        cycle_start_on INTEGER NOT NULL,
        renewals INTEGER NOT NULL CHECK (renewals >= 0),
        residence_since_on INTEGER NOT NULL,
        expiry_on INTEGER NOT NULL,
        cancelled_on INTEGER,
        cancel_reason TEXT,
        status TEXT NOT NULL CHECK (status IN ('inForce', 'windowOpen', 'suspended', 'cancellationDue', 'cancelled')),
        status_on INTEGER NOT NULL,
        next_on INTEGER,
        next_status TEXT,
        address TEXT NOT NULL,
        workplace TEXT,
        last_event_on INTEGER NOT NULL,
        last_change_id INTEGER REFERENCES status_changes(id),
        points_active INTEGER NOT NULL DEFAULT 0,
        points_valid_until INTEGER,
        CHECK ((next_on IS NULL) = (next_status IS NULL)),
        CHECK ((cancelled_on IS NULL) = (cancel_reason IS NULL))
    );
    INSERT INTO permits_v5 (id, application_id, holder_id, profile, issued_on, cycle_start_on, renewals, residence_since_on,
        expiry_on, cancelled_on, cancel_reason, status, status_on, next_on, next_status, address, last_event_on, last_change_id,
        points_active)
    SELECT id, application_id, holder_id, profile, issued_on, anchor_on, renewals, anchor_on, anchor_on, cancelled_on,
        cancel_reason, status, status_on, next_on, next_status, address, last_event_on, last_change_id, points_active
    FROM permits;
    DROP TABLE permits;
    ALTER TABLE permits_v5 RENAME TO permits;
    CREATE INDEX permits_holder ON permits(holder_id);
    CREATE INDEX permits_due ON permits(next_on) WHERE next_on IS NOT NULL;
    CREATE INDEX permits_expiry ON permits(expiry_on);
    CREATE INDEX permits_cancellation_due ON permits(status_on) WHERE status = 'cancellationDue';

    ALTER TABLE applications ADD COLUMN residence_registered_on INTEGER;
    ALTER TABLE applications ADD COLUMN talent_exception INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE applications ADD COLUMN kind TEXT NOT NULL DEFAULT 'first' CHECK (kind IN ('first', 'renewal', 'replacement'));
    ALTER TABLE applications ADD COLUMN permit_id INTEGER REFERENCES permits(id);
    ALTER TABLE applications ADD COLUMN workplace TEXT;
    CREATE INDEX applications_permit ON applications(permit_id) WHERE permit_id IS NOT NULL;
    ALTER TABLE address_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'residence' CHECK (kind IN ('residence', 'workplace'));
    ALTER TABLE address_changes ADD COLUMN deadline_on INTEGER;
    ALTER TABLE address_changes ADD COLUMN documents TEXT;
    ALTER TABLE points_events ADD COLUMN valid_until INTEGER;
    ALTER TABLE card_replacements ADD COLUMN application_id INTEGER REFERENCES applications(id);
    CREATE UNIQUE INDEX card_replacements_application ON card_replacements(application_id) WHERE application_id IS NOT NULL;

    ALTER TABLE sweep_runs RENAME COLUMN cancellations TO cancellations_due;
    CREATE TABLE cancellations (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL UNIQUE REFERENCES permits(id),
        effective_on INTEGER NOT NULL,
        reason TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        note TEXT NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE TABLE endorsement_refusals (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL REFERENCES permits(id),
        refused_on INTEGER NOT NULL,
        lost_grounds TEXT NOT NULL CHECK (lost_grounds IN ('job', 'home', 'study')),
        reason TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE INDEX endorsement_refusals_permit ON endorsement_refusals(permit_id);
    CREATE TABLE temporary_permits (
        id INTEGER PRIMARY KEY,
        holder_id INTEGER NOT NULL REFERENCES holders(id),
        from_on INTEGER NOT NULL,
        to_on INTEGER NOT NULL,
        issued_by TEXT NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
        CHECK (to_on >= from_on)
    );
    CREATE INDEX temporary_permits_holder ON temporary_permits(holder_id);
    CREATE TABLE fees (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER REFERENCES permits(id),
        application_id INTEGER REFERENCES applications(id),
        act TEXT NOT NULL CHECK (act IN ('firstPermit', 'endorsement', 'renewal', 'replacement')),
        due_on INTEGER NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
        CHECK (permit_id IS NOT NULL OR application_id IS NOT NULL)
    );
    CREATE INDEX fees_permit ON fees(permit_id);
    CREATE INDEX fees_application ON fees(application_id);
    CREATE TABLE fee_payments (
        id INTEGER PRIMARY KEY,
        fee_id INTEGER NOT NULL UNIQUE REFERENCES fees(id),
        paid_on INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        receipt TEXT NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE TABLE migration_reviews (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER REFERENCES permits(id),
        application_id INTEGER REFERENCES applications(id),
        migration TEXT NOT NULL,
        note TEXT NOT NULL
    );
    \(appendOnly("cancellations"))
    \(appendOnly("endorsement_refusals"))
    \(appendOnly("temporary_permits"))
    \(appendOnly("fees"))
    \(appendOnly("fee_payments"))
    """
}

/// The Swift half of `v5-seed-rules`: replays every permit's recorded endorsements and cancellation under the
/// corrected rules and stores the state they give. History rows are never changed: where the corrected rules
/// give another status than the one recorded, a correction row is appended to the permit's chain, and what
/// the rules alone cannot settle is listed in `migration_reviews` for an officer (docs/REGISTRY.md).
struct SeedRulesMigration {
    static let name = "v5-seed-rules"
    let policies: [String: RegionPolicy]
    let recordedAt: String

    func run(_ db: Database) throws {
        var after: Int64 = 0
        while true {
            let batch = try Permit.fetchAll(db, sql: "SELECT * FROM permits WHERE id > ? ORDER BY id LIMIT 5000", arguments: [after])
            guard let last = batch.last?.id else { break }
            for permit in batch { try carryOver(permit, db: db) }
            after = last
        }
        try recomputePendingDeadlines(db)
    }

    private func review(permit: Int64?, application: Int64? = nil, _ note: String, db: Database) throws {
        var row = MigrationReview(id: nil, permitId: permit, applicationId: application, migration: Self.name, note: note)
        try row.insert(db)
    }

    private func carryOver(_ old: Permit, db: Database) throws {
        guard let policy = policies[old.profile] else {
            throw RegistryError.unknownProfile(old.profile, known: policies.keys.sorted())
        }
        let id = old.id!
        let endorsed = try CalendarDate.fetchAll(db.cachedStatement(sql: "SELECT endorsed_on FROM endorsements WHERE permit_id = ? ORDER BY id"),
                                                 arguments: [id])
        var events = endorsed.map(PermitEvent.endorsed)
        if let on = old.cancelledOn, let reason = old.cancelReason { events.append(.cancelled(on, reason)) }
        let asOf = max(old.lastEventOn, old.statusOn)
        let evaluation: Evaluation
        do {
            evaluation = try Lifecycle.evaluate(PermitHistory(issued: old.issuedOn, events: events), policy: policy, on: asOf)
        } catch {
            try review(permit: id, "its recorded events cannot be replayed under the corrected rules (\(error)); its state was carried over unchanged", db: db)
            return
        }
        var permit = old
        permit.adopt(evaluation.state, policy: policy)
        permit.nextOn = evaluation.nextTransition?.on
        permit.nextStatus = evaluation.nextTransition?.to
        for item in evaluation.endorsements {
            if let refusal = item.outcome.refusal {
                try review(permit: id, "the endorsement of \(item.on), accepted by an earlier version, is refused under the corrected rules (\(refusal.explanation)); it stays in the history but does not count", db: db)
            }
        }
        if old.status == .cancelled, old.cancelledOn == nil {
            try review(permit: id, "cancelled automatically on \(old.statusOn) by an earlier version; the seeds cancel only by an officer's determination, so it is due for cancellation: decide with `permit registry cancel`", db: db)
        }
        if evaluation.status != old.status {
            var change = StatusChange(id: nil, permitId: id, previousId: old.lastChangeId, fromStatus: old.status, toStatus: evaluation.status,
                                      reason: "corrected:\(Self.name)", effectiveOn: asOf, actor: "migration", station: "migration",
                                      transactionId: Self.name, recordedAt: recordedAt)
            try change.insert(db)
            permit.lastChangeId = change.id
            permit.status = evaluation.status
            permit.statusOn = asOf
        }
        if let reason = old.cancelReason, let on = old.cancelledOn {
            let decider = try String.fetchOne(db, sql: "SELECT actor FROM status_changes WHERE id = ?", arguments: [old.lastChangeId]) ?? "unknown"
            var row = CancellationDetermination(id: nil, permitId: id, effectiveOn: on, reason: reason, decidedBy: decider,
                                                note: "recorded before \(Self.name); the deciding officer is the one who recorded it",
                                                actor: "migration", station: "migration", transactionId: Self.name, recordedAt: recordedAt)
            try row.insert(db)
        }
        if permit.pointsActive, let rule = policy.points,
           let granted = try CalendarDate.fetchOne(db, sql: "SELECT max(effective_on) FROM points_events WHERE permit_id = ? AND kind = 'granted'", arguments: [id]) {
            permit.pointsValidUntil = rule.validUntil(grantedOn: granted)
        }
        try permit.update(db)
    }

    /// Applications not yet issued get their deadline again, now counted with the holiday calendar.
    private func recomputePendingDeadlines(_ db: Database) throws {
        let pending = try Application.fetchAll(db, sql: """
            SELECT a.* FROM applications a LEFT JOIN permits p ON p.application_id = a.id WHERE p.id IS NULL
            """)
        guard !pending.isEmpty else { return }
        try db.execute(sql: "DROP TRIGGER applications_no_update")
        for application in pending {
            guard let policy = policies[application.profile] else { continue }
            do {
                let deadline = try policy.lastDay(of: policy.issuanceDeadline, from: application.acceptedOn)
                if deadline != application.deadlineOn {
                    try db.execute(sql: "UPDATE applications SET deadline_on = ? WHERE id = ?", arguments: [deadline, application.id])
                }
            } catch {
                try review(permit: nil, application: application.id, "its deadline \(application.deadlineOn) was kept: \(error)", db: db)
            }
        }
        try db.execute(sql: """
            CREATE TRIGGER applications_no_update BEFORE UPDATE ON applications
                BEGIN SELECT RAISE(ABORT, 'applications is append-only'); END;
            """)
    }
}
