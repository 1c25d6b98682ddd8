import Foundation
import GRDB
import Lifecycle
import Registry
import SeededRandom

/// Writes a synthetic registry fast: schema by the real migrations, then secondary indexes dropped, rows inserted
/// through prepared statements with the journal off, indexes rebuilt once at the end.
///
/// Each holder's life is simulated by the rules (`HolderLife`) from a first issue between 2017 and the sweep day:
/// endorsements of every class the region has, suspensions, permits due for cancellation and determinations,
/// address and workplace changes, lost and damaged cards, points, refusals, cancellations and new applications,
/// several permits for some holders. Every permit's stored state is what the registry's writes and sweeps would
/// have left on `sweepDay - 1`; the permits due on `sweepDay` are whatever the lives made due.
struct Generator {
    let path: String
    let holders: Int
    let sweepDay: CalendarDate
    let policy: RegionPolicy
    let profile: String
    var behaviour = Behaviour()

    /// The n-th person's ID number (also used by the lookup benchmark); card serials are `serial(cardId)`.
    static func idNumber(_ n: Int) -> String {
        CitizenID(region: 330_102, birth: CalendarDate(dayNumber: -3650 + n / 1000), sequence: n % 1000).text
    }
    static func serial(_ card: Int64) -> String {
        let digits = String(card)
        return "ZJ" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    /// What was written, by kind.
    struct Counts {
        var holders = 0, permits = 0, cards = 0, rows = 0
        var endorsements: [EndorsementClass: Int] = [:]
        var statuses: [PermitStatus: Int] = [:]
    }

    func run(progress: (Int) -> Void) throws -> Counts {
        // The schema from the real migrations; the rows below are written directly, as of the day before the sweep.
        let calendar = try StationCalendar(timeZoneIdentifier: policy.timeZone, clock: .test(day: sweepDay))
        _ = try Registry(path: path, station: "bench", policies: [profile: policy], calendar: calendar)
        var config = Configuration()
        config.foreignKeysEnabled = false   // generated rows are consistent by construction; checked by the sweep afterwards
        let queue = try DatabaseQueue(path: path, configuration: config)
        var counts = Counts()
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY")
            let indexes = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            var writer = try RowWriter(db: db, profile: profile, policy: policy)
            let asOf = sweepDay.adding(days: -1)
            let first = CalendarDate(year: 2017, month: 1, day: 1)!
            var random = SeededGenerator(seed: 42)
            try db.execute(sql: "BEGIN")
            for n in 0..<holders {
                let issue = first.adding(days: Int(random.next() % UInt64(asOf.days(since: first))))
                let life = HolderLife(policy: policy, behaviour: behaviour, firstIssue: issue, asOf: asOf,
                                      random: SeededGenerator(seed: random.next()))
                try writer.write(holder: n, life: life, counts: &counts)
                if n % 200_000 == 199_999 {
                    try db.execute(sql: "COMMIT; BEGIN")
                    progress(n + 1)
                }
            }
            try db.execute(sql: "COMMIT")
            progress(holders)
            for index in indexes { try db.execute(sql: index["sql"] as String) }
            try db.execute(sql: "ANALYZE")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        return counts
    }
}

/// One prepared statement per table, and the running ids.
struct RowWriter {
    let db: Database
    let profile: String
    let policy: RegionPolicy
    /// Actor, station, transaction id and time of every generated history row.
    static let stamp: StatementArguments = ["bench", "bench", "gen", "2026-01-01T00:00:00Z"]
    var applicationId: Int64 = 0, permitId: Int64 = 0, cardId: Int64 = 0, feeId: Int64 = 0
    let holder, application, permit, card, replacement, endorsement, move, change, points, cancellation, refusal, fee, payment: Statement

    init(db: Database, profile: String, policy: RegionPolicy) throws {
        self.db = db
        self.profile = profile
        self.policy = policy
        func statement(_ table: String, _ columns: String) throws -> Statement {
            let count = columns.split(separator: ",").count
            return try db.makeStatement(sql: "INSERT INTO \(table) (\(columns)) VALUES (\(Array(repeating: "?", count: count).joined(separator: ", ")))")
        }
        let who = "actor, station, transaction_id, recorded_at"
        holder = try statement("holders", "id, id_number, name")
        application = try statement("applications", "id, holder_id, profile, accepted_on, grounds, documents, address, deadline_on, \(who), residence_registered_on, talent_exception, kind, permit_id, workplace")
        permit = try statement("permits", "id, application_id, holder_id, profile, issued_on, cycle_start_on, renewals, residence_since_on, expiry_on, cancelled_on, cancel_reason, status, status_on, next_on, next_status, address, workplace, last_event_on, last_change_id, points_active, points_valid_until")
        card = try statement("cards", "id, permit_id, serial, issued_on, replaced_on")
        replacement = try statement("card_replacements", "old_card_id, new_card_id, replaced_on, cause, \(who), application_id")
        endorsement = try statement("endorsements", "permit_id, endorsed_on, class, expiry_after, anchor_after, \(who)")
        move = try statement("address_changes", "permit_id, moved_on, reported_on, old_address, new_address, late, \(who), kind, deadline_on, documents")
        change = try statement("status_changes", "permit_id, previous_id, from_status, to_status, reason, effective_on, \(who)")
        points = try statement("points_events", "permit_id, kind, effective_on, cause, \(who), valid_until")
        cancellation = try statement("cancellations", "permit_id, effective_on, reason, decided_by, note, \(who)")
        refusal = try statement("endorsement_refusals", "permit_id, refused_on, lost_grounds, reason, decided_by, \(who)")
        fee = try statement("fees", "id, permit_id, application_id, act, due_on, \(who)")
        payment = try statement("fee_payments", "fee_id, paid_on, amount_fen, receipt, \(who)")
    }

    mutating func write(holder n: Int, life: HolderLife, counts: inout Generator.Counts) throws {
        let holderId = Int64(n + 1)
        try holder.execute(arguments: [holderId, Generator.idNumber(n), "Holder \(n)"])
        counts.holders += 1
        counts.rows += 1
        for lived in life.permits { try write(permit: lived, holder: holderId, n: n, counts: &counts) }
    }

    private mutating func write(permit lived: HolderLife.PermitLife, holder holderId: Int64, n: Int, counts: inout Generator.Counts) throws {
        permitId += 1
        applicationId += 1
        let id = permitId, firstApplication = applicationId
        var address = "Room \(n % 1000), Building \(n / 1000), Test Road"
        var workplace: String? = "Workshop \(n % 97), Industrial Park"
        var currentCard: Int64 = 0, lastChange: Int64?, rows = 0
        func row(_ values: (any DatabaseValueConvertible)?...) -> StatementArguments { StatementArguments(values) }
        // The permit row first (its last change is set at the end), so every history row can point at it.
        let state = lived.state
        let next = state.nextTransition(after: lived.lastEventOn, policy: policy)
        for event in lived.events {
            switch event {
            case .application(let kind, let accepted, let registered, let talent, let grounds):
                let deadline = try policy.lastDay(of: policy.issuanceDeadline, from: accepted)
                try application.execute(arguments: row(firstApplication, holderId, profile, accepted, grounds, "labour contract; lease", address, deadline)
                                        + Self.stamp + row(registered, talent, kind.rawValue, nil, workplace))
            case .issued(let on):
                try permit.execute(arguments: row(id, firstApplication, holderId, profile, state.issued, state.cycleStart, state.renewals, state.residenceSince,
                                                  state.expiry(policy), state.cancellation?.on, state.cancellation?.reason.rawValue, lived.status.rawValue,
                                                  lived.statusOn, next?.on, next?.to.rawValue, address, workplace, lived.lastEventOn, nil,
                                                  lived.pointsUntil != nil, lived.pointsUntil))
                cardId += 1
                currentCard = cardId
                try card.execute(arguments: row(cardId, id, Generator.serial(cardId), on, nil))
                counts.cards += 1
            case .status(let from, let to, let reason, let on):
                try change.execute(arguments: row(id, lastChange, from?.rawValue, to.rawValue, reason, on) + Self.stamp)
                lastChange = db.lastInsertedRowID
            case .endorsed(let on, let cls, let expiry, let residence):
                try endorsement.execute(arguments: row(id, on, cls.rawValue, expiry, residence) + Self.stamp)
                counts.endorsements[cls, default: 0] += 1
            case .moved(let kind, let moved, let reported, let deadline):
                let new = kind == .residence ? "Room \(n % 1000), Building \(reported.dayNumber % 500), New Road" : "Office \(reported.dayNumber % 300), Trade Centre"
                let old = kind == .residence ? address : (workplace ?? "")
                try move.execute(arguments: row(id, moved, reported, old, new, deadline.map { reported > $0 } ?? false) + Self.stamp
                                 + row(kind.rawValue, deadline, "ID card; lease"))
                if kind == .residence { address = new } else { workplace = new }
            case .newCard(let cause, let on):
                var request: Int64?
                if policy.cardPersonalisation == .centralOffice {
                    applicationId += 1
                    request = applicationId
                    let deadline = try policy.lastDay(of: policy.issuanceDeadline, from: on)
                    try application.execute(arguments: row(applicationId, holderId, profile, on, "home", "damaged or lost card", address, deadline)
                                            + Self.stamp + row(nil, false, cause.applicationKind.rawValue, id, workplace))
                }
                cardId += 1
                try db.cachedStatement(sql: "UPDATE cards SET replaced_on = ? WHERE id = ?").execute(arguments: [on, currentCard])
                try card.execute(arguments: row(cardId, id, Generator.serial(cardId), on, nil))
                try replacement.execute(arguments: row(currentCard, cardId, on, cause.rawValue) + Self.stamp + row(request))
                currentCard = cardId
                counts.cards += 1
                feeId += 1
                try fee.execute(arguments: row(feeId, id, request, cause.feeAct.rawValue, on) + Self.stamp)
                try payment.execute(arguments: row(feeId, on, 2000, "R\(feeId)") + Self.stamp)
                rows += 2
            case .pointsGranted(let on, let until):
                try points.execute(arguments: row(id, "granted", on, "application") + Self.stamp + row(until))
            case .pointsLapsed(let on, let cause):
                try points.execute(arguments: row(id, "lapsed", on, cause.rawValue) + Self.stamp + row(nil))
            case .refused(let on):
                try refusal.execute(arguments: row(id, on, "job", "labour contract ended", "officer") + Self.stamp)
            case .cancelled(let on, let reason):
                try cancellation.execute(arguments: row(id, on, reason.rawValue, "officer", "") + Self.stamp)
            }
            rows += 1
        }
        try db.cachedStatement(sql: "UPDATE permits SET last_change_id = ?, address = ?, workplace = ? WHERE id = ?")
            .execute(arguments: [lastChange, address, workplace, id])
        counts.permits += 1
        counts.rows += rows
        counts.statuses[lived.status, default: 0] += 1
    }
}
