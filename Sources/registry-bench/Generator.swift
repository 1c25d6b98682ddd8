import Foundation
import GRDB
import Lifecycle
import Registry
import SeededRandom

/// Writes a synthetic registry fast: schema by the real migrations, then secondary indexes dropped,
/// rows inserted through prepared statements with the journal off, indexes rebuilt once at the end.
///
/// Every permit's stored state is what the sweep would have left on `sweepDay - 1`; exactly `due`
/// permits have their next transition on `sweepDay` (a mix of windows opening, suspensions and
/// overdue cancellations), every other permit's next transition is later (or none).
struct Generator {
    let path: String
    let permits: Int
    let due: Int
    let sweepDay: CalendarDate
    let policy: RegionPolicy
    let profile: String

    /// The n-th person's ID number and card serial (also used by the lookup benchmark).
    static func idNumber(_ n: Int) -> String {
        CitizenID(region: 330_102, birth: CalendarDate(dayNumber: -3650 + n / 1000), sequence: n % 1000).text
    }
    static func serial(_ n: Int) -> String {
        let digits = String(n)
        return "ZJ" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    /// Issue dates whose next transition after `sweepDay - 1` falls exactly on `sweepDay`, and ones where it falls later.
    func candidates() -> (due: [CalendarDate], later: [CalendarDate]) {
        let asOf = sweepDay.adding(days: -1)
        var due: [CalendarDate] = [], later: [CalendarDate] = []
        for back in 1...500 {
            let issued = sweepDay.adding(days: -back)
            let next = PermitState(issued: issued).nextTransition(after: asOf, policy: policy)
            if next?.on == sweepDay { due.append(issued) } else if back <= 360 { later.append(issued) }
        }
        return (due, later)
    }

    func run(progress: (Int) -> Void) throws {
        _ = try Registry(path: path, station: "bench", policies: [profile: policy], clock: { "2026-01-01T00:00:00Z" })
        var config = Configuration()
        config.foreignKeysEnabled = false   // generated rows are consistent by construction; checked by the sweep afterwards
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2000000; PRAGMA temp_store = MEMORY")
            let indexes = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
            try insertAll(db, progress: progress)
            for index in indexes { try db.execute(sql: index["sql"] as String) }
            try db.execute(sql: "ANALYZE")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
    }

    private func insertAll(_ db: Database, progress: (Int) -> Void) throws {
        let (dueDays, laterDays) = candidates()
        let holder = try db.makeStatement(sql: "INSERT INTO holders (id, id_number, name) VALUES (?, ?, ?)")
        let application = try db.makeStatement(sql: """
            INSERT INTO applications VALUES (?, ?, ?, ?, 'job', 'labour contract; lease', ?, ?, 'bench', 'bench', 'gen', '2026-01-01T00:00:00Z')
            """)
        let permit = try db.makeStatement(sql: """
            INSERT INTO permits (id, application_id, holder_id, profile, issued_on, anchor_on, renewals, status, status_on,
                                 next_on, next_status, address, last_event_on, last_change_id, points_active)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let card = try db.makeStatement(sql: "INSERT INTO cards (id, permit_id, serial, issued_on) VALUES (?, ?, ?, ?)")
        let change = try db.makeStatement(sql: """
            INSERT INTO status_changes (permit_id, previous_id, from_status, to_status, reason, effective_on, actor, station, transaction_id, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, 'bench', 'bench', 'gen', '2026-01-01T00:00:00Z')
            """)
        let asOf = sweepDay.adding(days: -1)
        var random = SeededGenerator(seed: 42)
        // Spread the due permits evenly: permit n is due when n * due / permits steps up.
        try db.execute(sql: "BEGIN")
        for n in 0..<permits {
            let id = Int64(n + 1)
            let isDue = (n + 1) * due / permits != n * due / permits
            let issued = isDue ? dueDays[Int(random.next() % UInt64(dueDays.count))]
                               : laterDays[Int(random.next() % UInt64(laterDays.count))]
            let state = PermitState(issued: issued)
            // Walk the calendar transitions up to the day before the sweep, as earlier sweeps would have.
            var status = state.status(on: issued, policy: policy), statusOn = issued
            try change.execute(arguments: [id, nil, nil, status.rawValue, "issued", issued.dayNumber])
            var lastChange = db.lastInsertedRowID
            while let next = state.nextTransition(after: statusOn, policy: policy), next.on <= asOf {
                try change.execute(arguments: [id, lastChange, status.rawValue, next.to.rawValue, "sweep", next.on.dayNumber])
                lastChange = db.lastInsertedRowID
                status = next.to
                statusOn = next.on
            }
            let next = state.nextTransition(after: asOf, policy: policy)
            let address = "Room \(n % 1000), Building \(n / 1000), Test Road"
            try holder.execute(arguments: [id, Self.idNumber(n), "Holder \(n)"])
            try application.execute(arguments: [id, id, profile, issued.adding(days: -10).dayNumber, address, issued.dayNumber])
            try permit.execute(arguments: [id, id, id, profile, issued.dayNumber, issued.dayNumber, status.rawValue, statusOn.dayNumber,
                                           next?.on.dayNumber, next?.to.rawValue, address, statusOn.dayNumber, lastChange, random.next() % 5 == 0])
            try card.execute(arguments: [id, id, Self.serial(n), issued.dayNumber])
            if n % 500_000 == 499_999 {
                try db.execute(sql: "COMMIT; BEGIN")
                progress(n + 1)
            }
        }
        try db.execute(sql: "COMMIT")
        progress(permits)
    }
}

