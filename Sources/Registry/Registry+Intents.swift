import Foundation
import GRDB
import Lifecycle

/// One row of the intent journal: a card write the station is about to make or has made, until it is
/// settled. The registry keeps `parameters`, `before` and `expected` as the station wrote them (JSON); it
/// does not read them: what a card state is belongs to the station (module Station).
public struct CardIntent: RegistryRecord, Hashable {
    public static let databaseTableName = "card_intents"

    public enum State: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// Opened before the first APDU; the card may or may not show it yet.
        case pending
        /// The card showed the write, and the act is recorded.
        case applied
        /// The card showed the old state; the write was made again, and the act is recorded.
        case redone
        /// Neither: nothing is recorded, and `reason` says why.
        case abandoned
    }

    public var id: Int64?
    public var cardSerial: String
    public var permitId: Int64?
    public var applicationId: Int64?
    /// The act's name (`endorse`, `cancel`, `issue`, …).
    public var act: String
    public var parameters: String
    /// The card state read before the write, and the state the write leaves.
    public var before: String
    public var expected: String
    /// The station's day when it was opened: the day the card's new record carries.
    public var openedOn: CalendarDate
    public var state: State
    public var reason: String?
    public var openedAt: String
    public var settledAt: String?
    public var actor: String
    public var station: String
}

/// What an intent is opened for.
public struct NewIntent: Sendable, Hashable {
    public var cardSerial: String
    public var permitId: Int64?
    public var applicationId: Int64?
    public var act: String
    public var parameters: String
    public var before: String
    public var expected: String
    public var openedOn: CalendarDate

    public init(cardSerial: String, permitId: Int64?, applicationId: Int64?, act: String, parameters: String, before: String,
                expected: String, openedOn: CalendarDate) {
        self.cardSerial = cardSerial
        self.permitId = permitId
        self.applicationId = applicationId
        self.act = act
        self.parameters = parameters
        self.before = before
        self.expected = expected
        self.openedOn = openedOn
    }
}

extension Registry {
    /// Opens an intent. Refused with `intentPending` while the card or the permit has one pending: two acts
    /// on one permit never run at once, whichever process or officer asks.
    public func openIntent(_ new: NewIntent, actor: String) throws(RegistryError) -> CardIntent {
        try write(actor: actor) { db, context in
            var intent = CardIntent(
                id: nil, cardSerial: new.cardSerial, permitId: new.permitId, applicationId: new.applicationId, act: new.act,
                parameters: new.parameters, before: new.before, expected: new.expected, openedOn: new.openedOn, state: .pending,
                reason: nil, openedAt: context.recordedAt, settledAt: nil, actor: context.actor, station: context.station)
            do {
                try intent.insert(db)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                let sameCard = Column("card_serial") == new.cardSerial
                let holder = new.permitId.map { sameCard || Column("permit_id") == $0 } ?? sameCard
                let pending = try CardIntent.filter(Column("state") == CardIntent.State.pending.rawValue).filter(holder).fetchOne(db)
                throw RegistryError.intentPending(card: pending?.cardSerial ?? new.cardSerial, permit: pending?.permitId ?? new.permitId,
                                                  act: pending?.act ?? new.act, intent: pending?.id ?? 0)
            }
            return intent
        }
    }

    /// Settles a pending intent as `state`, in one transaction with what `recording` writes (the act in the
    /// registry's history; nothing for an abandoned intent) and the act's audit entry. If anything fails,
    /// nothing is written and the intent stays pending.
    /// - Parameter station: the station the recorded rows name, when the act was made by another station
    ///   (a card-side endorsement found on presentation); default this registry's.
    public func settle<T>(_ intent: CardIntent, as state: CardIntent.State, reason: String? = nil, audit: AuditRecord, station: String? = nil,
                          recording: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        precondition(state != .pending, "settle an intent as applied, redone or abandoned")
        guard let id = intent.id else { throw .unknownIntent(0) }
        return try write(actor: audit.actor, station: station) { db, context in
            guard var row = try CardIntent.fetchOne(db, key: id) else { throw RegistryError.unknownIntent(id) }
            guard row.state == .pending else { throw RegistryError.intentSettled(id, row.state) }
            let result = try recording()
            row.state = state
            row.reason = reason
            row.settledAt = context.recordedAt
            try row.update(db)
            _ = try Self.appendAudit(audit, db: db, at: context.recordedAt)
            return result
        }
    }

    /// Records an act in one transaction with its audit entry, without an intent (a card-side change found on
    /// presentation, which this station did not write).
    public func record<T>(audit: AuditRecord, station: String? = nil, _ recording: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        try write(actor: audit.actor, station: station) { db, context in
            let result = try recording()
            _ = try Self.appendAudit(audit, db: db, at: context.recordedAt)
            return result
        }
    }

    /// Runs `body` (registry writes) in a transaction that is rolled back: what the writes would refuse,
    /// they refuse here, and nothing is kept. A card act asks this before it writes the card.
    public func dryRun<T>(actor: String, _ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
        try write(actor: actor, rollingBack: true) { _, _ in try body() }
    }

    /// The pending intents, oldest first.
    public func pendingIntents(limit: Int = 1000) throws(RegistryError) -> [CardIntent] {
        try read { db in
            try CardIntent.filter(Column("state") == CardIntent.State.pending.rawValue).order(Column("id")).limit(limit).fetchAll(db)
        }
    }

    /// The pending intent of the card `serial`, if any.
    public func pendingIntent(card serial: String) throws(RegistryError) -> CardIntent? {
        try read { db in
            try CardIntent.filter(Column("state") == CardIntent.State.pending.rawValue && Column("card_serial") == serial).fetchOne(db)
        }
    }

    public func intent(id: Int64) throws(RegistryError) -> CardIntent? {
        try read { db in try CardIntent.fetchOne(db, key: id) }
    }

    /// How many intents are pending, and how many were settled each way.
    public func intentCounts() throws(RegistryError) -> [CardIntent.State: Int] {
        try read { db in
            var counts = Dictionary(uniqueKeysWithValues: CardIntent.State.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM card_intents GROUP BY state") {
                if let state = CardIntent.State(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }
}
