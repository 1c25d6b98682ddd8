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
                pointsEvents: try PointsEvent.filter(byPermit).order(Column("id")).fetchAll(db))
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

    /// Applications not issued by their deadline, as of `date`.
    public func lateApplications(on date: CalendarDate, limit: Int = 100) throws(RegistryError) -> [Application] {
        try read { db in
            try Application.fetchAll(db, sql: """
                SELECT a.* FROM applications a LEFT JOIN permits p ON p.application_id = a.id
                WHERE p.id IS NULL AND a.deadline_on < ? ORDER BY a.deadline_on, a.id LIMIT ?
                """, arguments: [date, limit])
        }
    }
}
