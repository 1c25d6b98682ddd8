import GRDB
import Lifecycle

/// A card found by serial, with its permit and holder.
public struct CardLookup: Sendable, Hashable {
    public let card: Card
    public let permit: Permit
    public let holder: Holder
    /// False once a replacement card was issued: the old card must then fail verification.
    public var isCurrentCard: Bool { card.replacedOn == nil }
}

/// Everything the registry holds about one permit, for `permit registry show`.
public struct PermitDetails: Sendable, Hashable {
    public let permit: Permit
    public let holder: Holder
    public let application: Application
    public let cards: [Card]
    public let endorsements: [EndorsementRecord]
    public let statusChanges: [StatusChange]
    public let addressChanges: [AddressChange]
    public let pointsEvents: [PointsEvent]
    /// The officer's determination, once the permit is cancelled.
    public let cancellation: CancellationDetermination?
    public let refusals: [EndorsementRefusal]
    /// Renewal and replacement applications for this permit.
    public let replacementApplications: [Application]
    public let cardReplacements: [CardReplacement]
    /// Card fees due for this permit or its applications, each with its payment if paid.
    public let fees: [FeeDue]
    /// The holder's earlier temporary residence permits.
    public let temporaryPermits: [TemporaryPermit]
    /// What the v5 migration left for an officer to review.
    public let migrationReviews: [MigrationReview]

    /// Residence years on `date` (居住年限): from the start of the residence period, plus earlier temporary-permit
    /// years where the region counts them (whole days / 365.25, for display).
    public func residenceYears(on date: CalendarDate, policy: RegionPolicy) -> Double {
        var days = max(0, date.days(since: permit.residenceSinceOn))
        if policy.eligibility.temporaryPermitYearsCount {
            days += temporaryPermits.reduce(0) { $0 + $1.toOn.days(since: $1.fromOn) + 1 }
        }
        return Double(days) / 365.25
    }
}

/// A card fee and its payment, if paid.
public struct FeeDue: Sendable, Hashable {
    public let fee: Fee
    public let payment: FeePayment?
}

/// A holder to remind (the police's duty to help holders endorse in time, seed 000): their window closes soon,
/// or they are suspended and can still endorse without an officer's determination.
public struct Reminder: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The endorsement window closes on `deadline` (the expiry).
        case windowCloses
        /// Suspended; the last day to endorse at a kiosk is `deadline` (the end of the continuity grace, or the day
        /// before the permit is due for cancellation).
        case suspendedGraceEnds
    }
    public let permitId: Int64
    public let profile: String
    public let idNumber: String
    public let name: String
    public let address: String
    public let status: PermitStatus
    public let kind: Kind
    public let deadline: CalendarDate
}

/// A calendar transition waiting for the sweep.
public struct DueTransition: Sendable, Hashable {
    public let permitId: Int64
    public let idNumber: String
    public let status: PermitStatus
    public let on: CalendarDate
    public let to: PermitStatus
}

extension Registry {
    public func permit(id: Int64) throws(RegistryError) -> Permit? {
        try read { db in try Permit.fetchOne(db, key: id) }
    }

    /// By card serial (unique index), then permit and holder by primary key.
    public func lookup(serial: String) throws(RegistryError) -> CardLookup? {
        try read { db in
            guard let card = try Card.fetchOne(db.cachedStatement(sql: "SELECT * FROM cards WHERE serial = ?"), arguments: [serial]),
                  let permit = try Permit.fetchOne(db.cachedStatement(sql: "SELECT * FROM permits WHERE id = ?"), arguments: [card.permitId]),
                  let holder = try Holder.fetchOne(db.cachedStatement(sql: "SELECT * FROM holders WHERE id = ?"), arguments: [permit.holderId])
            else { return nil }
            return CardLookup(card: card, permit: permit, holder: holder)
        }
    }

    /// A holder's permits by ID number (unique index, then the holder index), newest first.
    public func permits(idNumber: String) throws(RegistryError) -> [Permit] {
        try read { db in
            guard let holder = try Holder.fetchOne(db.cachedStatement(sql: "SELECT * FROM holders WHERE id_number = ?"), arguments: [idNumber.uppercased()])
            else { return [] }
            return try Permit.fetchAll(db.cachedStatement(sql: "SELECT * FROM permits WHERE holder_id = ? ORDER BY id DESC"), arguments: [holder.id])
        }
    }

    public func details(permit id: Int64) throws(RegistryError) -> PermitDetails {
        try read { db in
            guard let permit = try Permit.fetchOne(db, key: id),
                  let holder = try Holder.fetchOne(db, key: permit.holderId),
                  let application = try Application.fetchOne(db, key: permit.applicationId) else {
                throw RegistryError.unknownPermit(id)
            }
            let byPermit = Column("permit_id") == id
            return PermitDetails(
                permit: permit, holder: holder, application: application,
                cards: try Card.filter(byPermit).order(Column("id")).fetchAll(db),
                endorsements: try EndorsementRecord.filter(byPermit).order(Column("id")).fetchAll(db),
                statusChanges: try Self.statusChain(from: permit.lastChangeId, db: db),
                addressChanges: try AddressChange.filter(byPermit).order(Column("id")).fetchAll(db),
                pointsEvents: try PointsEvent.filter(byPermit).order(Column("id")).fetchAll(db),
                cancellation: try CancellationDetermination.filter(byPermit).fetchOne(db),
                refusals: try EndorsementRefusal.filter(byPermit).order(Column("id")).fetchAll(db),
                replacementApplications: try Application.filter(byPermit).order(Column("id")).fetchAll(db),
                cardReplacements: try CardReplacement.fetchAll(db, sql: """
                    SELECT r.* FROM card_replacements r JOIN cards c ON c.id = r.old_card_id WHERE c.permit_id = ? ORDER BY r.id
                    """, arguments: [id]),
                fees: try Fee.fetchAll(db, sql: """
                    SELECT * FROM fees WHERE permit_id = ?
                    UNION SELECT * FROM fees WHERE application_id = ? ORDER BY id
                    """, arguments: [id, permit.applicationId]).map { fee in
                        FeeDue(fee: fee, payment: try FeePayment.filter(Column("fee_id") == fee.id).fetchOne(db))
                    },
                temporaryPermits: try TemporaryPermit.filter(Column("holder_id") == holder.id).order(Column("from_on")).fetchAll(db),
                migrationReviews: try MigrationReview.filter(byPermit).order(Column("id")).fetchAll(db))
        }
    }

    /// A permit's status changes, oldest first, by walking its chain back from the newest.
    static func statusChain(from last: Int64?, db: Database) throws -> [StatusChange] {
        var chain: [StatusChange] = []
        var next = last
        let statement = try db.cachedStatement(sql: "SELECT * FROM status_changes WHERE id = ?")
        while let id = next, let change = try StatusChange.fetchOne(statement, arguments: [id]) {
            chain.append(change)
            next = change.previousId
        }
        return chain.reversed()
    }

    /// The recorded events as a lifecycle history: what `Lifecycle.evaluate` needs to check the registry.
    public func history(permit id: Int64) throws(RegistryError) -> PermitHistory {
        let details = try details(permit: id)
        var events = details.endorsements.map { PermitEvent.endorsed($0.endorsedOn) }
        // Rows the v5 migration found refused under the corrected rules replay as refused: the rules decide again.
        if let on = details.permit.cancelledOn, let reason = details.permit.cancelReason { events.append(.cancelled(on, reason)) }
        return PermitHistory(issued: details.permit.issuedOn, events: events)
    }

    /// Transitions due on or before `date` (the sweep's work list), earliest first.
    public func due(through date: CalendarDate, limit: Int = 100) throws(RegistryError) -> (count: Int, first: [DueTransition]) {
        try read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM permits WHERE next_on <= ?", arguments: [date]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.id, h.id_number, p.status, p.next_on, p.next_status FROM permits p JOIN holders h ON h.id = p.holder_id
                WHERE p.next_on <= ? ORDER BY p.next_on, p.id LIMIT ?
                """, arguments: [date, limit])
            return (count, rows.map {
                DueTransition(permitId: $0[0], idNumber: $0[1], status: $0[2], on: $0[3], to: $0[4])
            })
        }
    }

    /// Applications (first permits, renewals, replacements) not issued by their deadline, as of `date`.
    public func lateApplications(on date: CalendarDate, limit: Int = 100) throws(RegistryError) -> [Application] {
        try read { db in
            try Application.fetchAll(db, sql: """
                SELECT a.* FROM applications a LEFT JOIN permits p ON p.application_id = a.id
                    LEFT JOIN card_replacements r ON r.application_id = a.id
                WHERE p.id IS NULL AND r.id IS NULL AND a.deadline_on < ? ORDER BY a.deadline_on, a.id LIMIT ?
                """, arguments: [date, limit])
        }
    }

    /// Permits due for cancellation (`cancellationDue`), waiting for an officer's determination, oldest first.
    public func dueForDetermination(limit: Int = 100) throws(RegistryError) -> (count: Int, first: [(permit: Permit, holder: Holder)]) {
        try read { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM permits WHERE status = 'cancellationDue'") ?? 0
            let permits = try Permit.fetchAll(db, sql: "SELECT * FROM permits WHERE status = 'cancellationDue' ORDER BY status_on, id LIMIT ?",
                                              arguments: [limit])
            return (count, try permits.map { ($0, try Holder.fetchOne(db, key: $0.holderId)!) })
        }
    }

    /// Holders to remind on `date`: their window closes within `days` days (expiry in `[date, date + days]`, not yet
    /// endorsed), or they are suspended and `date` is still on or before the last day they can endorse without an
    /// officer. Ordered by deadline. Reads the expiry index only.
    public func reminders(on date: CalendarDate, days: Int) throws(RegistryError) -> [Reminder] {
        let lookBack = policies.values.map { policy in
            let state = PermitState(issued: date)
            return Self.lastSelfServiceDay(state, policy: policy).map { $0.days(since: state.expiry(policy)) } ?? 0
        }.max() ?? 0
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.*, h.id_number AS holder_id_number, h.name AS holder_name FROM permits p JOIN holders h ON h.id = p.holder_id
                WHERE p.expiry_on BETWEEN ? AND ? AND p.status IN ('inForce', 'windowOpen', 'suspended')
                ORDER BY p.expiry_on, p.id
                """, arguments: [date.adding(days: -lookBack), date.adding(days: days)])
            var found: [Reminder] = []
            for row in rows {
                let permit = try Permit(row: row)
                let policy = try self.policy(for: permit.profile)
                let status = permit.state.status(on: date, policy: policy)
                let kind: Reminder.Kind, deadline: CalendarDate
                switch status {
                case .inForce, .windowOpen:
                    guard permit.expiryOn >= date, permit.expiryOn <= date.adding(days: days) else { continue }
                    (kind, deadline) = (.windowCloses, permit.expiryOn)
                case .suspended:
                    guard let last = Self.lastSelfServiceDay(permit.state, policy: policy), date <= last else { continue }
                    (kind, deadline) = (.suspendedGraceEnds, last)
                case .cancellationDue, .cancelled:
                    continue
                }
                found.append(Reminder(permitId: permit.id!, profile: permit.profile, idNumber: row["holder_id_number"], name: row["holder_name"],
                                      address: permit.address, status: status, kind: kind, deadline: deadline))
            }
            return found.sorted { ($0.deadline, $0.permitId) < ($1.deadline, $1.permitId) }
        }
    }

    /// The last day a suspended permit can be endorsed without an officer: the end of the continuity grace where the
    /// region has one, else the day before it is due for cancellation; `nil` when neither bounds it.
    static func lastSelfServiceDay(_ state: PermitState, policy: RegionPolicy) -> CalendarDate? {
        state.graceEnds(policy) ?? state.cancellationDueFrom(policy)?.adding(days: -1)
    }
}
