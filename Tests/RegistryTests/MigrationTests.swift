import Foundation
import GRDB
import Lifecycle
import Registry
import Testing
import TestPrograms

/// Files written by earlier schemas are upgraded in place, keeping their data and history.
@Suite struct MigrationTests {
    @Test func freshRegistryHasEveryMigration() throws {
        let t = try TestRegistry()
        #expect(try t.registry.appliedMigrations() == RegistrySchema.versions)
        let mode = try DatabaseQueue(path: t.path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func v1FileIsMigratedKeepingItsData() throws {
        let dir = ScratchDirectory.make("registry-v1")
        let path = dir.appendingPathComponent("old.sqlite").path
        // An earlier station: schema v1 only, one permit issued 2025-03-15 through plain SQL.
        do {
            let old = try DatabaseQueue(path: path)
            try RegistrySchema.migrator().migrate(old, upTo: "v1")
            try old.write { db in
                let station = OldStation(db: db)
                try station.holder(1)
                try station.application(1, profile: "zhejiang", accepted: d("2025-03-15"), deadline: d("2025-04-04"))
                try station.permit(1, profile: "zhejiang", issued: d("2025-03-15"), anchor: d("2025-03-15"), renewals: 0, status: "inForce",
                                   statusOn: d("2025-03-15"), next: (d("2026-02-15"), "windowOpen"), lastEvent: d("2025-03-15"), withPoints: false)
                try db.execute(sql: "INSERT INTO cards (permit_id, serial, issued_on) VALUES (1, 'OLD-0001', ?)", arguments: [d("2025-03-15")])
            }
            #expect(try old.read { try $0.columns(in: "permits").contains { $0.name == "points_active" } } == false)
        }
        // Earlier stations created the file readable by all; the new one refuses it until it is made private.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: RegistryError.exposed(path: path, mode: 0o644)) {
            try Registry(path: path, station: "new", policies: TestRegistry.policies, calendar: TestRegistry.calendar)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let registry = try Registry(path: path, station: "new", policies: TestRegistry.policies, calendar: TestRegistry.calendar)
        #expect(try registry.appliedMigrations() == RegistrySchema.versions)
        let lookup = try #require(try registry.lookup(serial: "OLD-0001"))
        #expect(lookup.holder.name == "Holder 1")
        #expect(lookup.permit.pointsActive == false)
        #expect(lookup.permit.expiryOn == d("2026-03-15"))
        // The upgraded file works with the new features: points, then the sweep lapses them on suspension.
        try registry.grantPoints(permit: 1, on: d("2026-01-05"), actor: "officer")
        let summary = try registry.sweep(through: d("2026-03-16"))
        #expect(summary.transitions == 2)
        #expect(summary.pointsLapses == 1)
        #expect(try registry.permit(id: 1)?.status == .suspended)
    }

    /// A v3 file as the previous rules wrote it: an automatic overdue cancellation, late endorsements that moved
    /// Zhejiang's cycle and cut Inner Mongolia's grace at E + 30, an officer's cancellation, points and a pending
    /// application whose deadline was counted Monday to Friday. Opening it carries every row over, appends one
    /// correction, lists what an officer must decide, and leaves each permit as the corrected rules say.
    @Test func v3FileWrittenUnderTheOldRulesIsCarriedOverWithItsHistory() throws {
        let dir = ScratchDirectory.make("registry-v3")
        let path = dir.appendingPathComponent("old.sqlite").path
        do {
            let old = try DatabaseQueue(path: path)
            try RegistrySchema.migrator().migrate(old, upTo: "v3-application-holder")
            try old.write { db in
                let station = OldStation(db: db)
                for n in 1...5 { try station.holder(n) }
                // 1: Zhejiang, issued 2024-03-15, never endorsed, cancelled by the old sweep on E + 61 (2025-05-15).
                try station.application(1, profile: "zhejiang", accepted: d("2024-03-15"), deadline: d("2024-04-04"))
                try station.permit(1, profile: "zhejiang", issued: d("2024-03-15"), anchor: d("2024-03-15"), renewals: 0, status: "cancelled",
                                   statusOn: d("2025-05-15"), next: nil, lastEvent: d("2025-05-15"), withPoints: false)
                try station.changes(1, [("inForce", "issued", d("2024-03-15")), ("windowOpen", "windowOpened", d("2025-02-15")),
                                        ("suspended", "expired", d("2025-03-16")), ("cancelled", "overdue", d("2025-05-15"))])
                // 2: Zhejiang, endorsed late on 2025-04-01: the old rules moved its expiry to 2026-04-01.
                try station.application(2, profile: "zhejiang", accepted: d("2024-03-15"), deadline: d("2024-04-04"))
                try station.permit(2, profile: "zhejiang", issued: d("2024-03-15"), anchor: d("2025-04-01"), renewals: 0, status: "inForce",
                                   statusOn: d("2025-04-01"), next: (d("2026-03-01"), "windowOpen"), lastEvent: d("2025-06-01"), withPoints: true)
                try station.changes(2, [("inForce", "issued", d("2024-03-15")), ("windowOpen", "windowOpened", d("2025-02-15")),
                                        ("suspended", "expired", d("2025-03-16")), ("inForce", "endorsed:lateReset", d("2025-04-01"))])
                try station.endorsement(2, on: d("2025-04-01"), class: "lateReset", expiry: d("2026-04-01"), anchor: d("2025-04-01"))
                try db.execute(sql: """
                    INSERT INTO points_events (permit_id, kind, effective_on, cause, actor, station, transaction_id, recorded_at)
                    VALUES (2, 'granted', ?, 'application', 'points-office', 'old', 'tx', '2025-06-01T01:00:00Z')
                    """, arguments: [d("2025-06-01")])
                // 3: Inner Mongolia, endorsed on E + 31 (2025-04-15): the old rules restarted it there.
                try station.application(3, profile: "inner-mongolia", accepted: d("2024-03-15"), deadline: d("2024-04-14"))
                try station.permit(3, profile: "inner-mongolia", issued: d("2024-03-15"), anchor: d("2025-04-15"), renewals: 0, status: "inForce",
                                   statusOn: d("2025-04-15"), next: (d("2026-03-16"), "windowOpen"), lastEvent: d("2025-04-15"), withPoints: false)
                try station.changes(3, [("inForce", "issued", d("2024-03-15")), ("windowOpen", "windowOpened", d("2025-02-13")),
                                        ("suspended", "expired", d("2025-03-16")), ("inForce", "endorsed:lateReset", d("2025-04-15"))])
                try station.endorsement(3, on: d("2025-04-15"), class: "lateReset", expiry: d("2026-04-15"), anchor: d("2025-04-15"))
                // 4: an officer's cancellation.
                try station.application(4, profile: "zhejiang", accepted: d("2024-03-15"), deadline: d("2024-04-04"))
                try station.permit(4, profile: "zhejiang", issued: d("2024-03-15"), anchor: d("2024-03-15"), renewals: 0, status: "cancelled",
                                   statusOn: d("2024-09-01"), next: nil, lastEvent: d("2024-09-01"), withPoints: false,
                                   cancelled: (d("2024-09-01"), "falseDocuments"))
                try station.changes(4, [("inForce", "issued", d("2024-03-15")), ("cancelled", "officerCancellation:falseDocuments", d("2024-09-01"))],
                                    actor: "officer-old")
                // 5: pending since Friday 2025-09-26; the old deadline counted Monday to Friday (2025-10-17).
                try station.application(5, profile: "zhejiang", accepted: d("2025-09-26"), deadline: d("2025-10-17"))
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)   // as an operator does (REGISTRY.md)
        let before = try RowCounts(path)
        let registry = try Registry(path: path, station: "new", policies: TestRegistry.policies, calendar: TestRegistry.calendar)
        let after = try RowCounts(path)
        #expect(after.statusChanges == before.statusChanges + 1)   // one correction, nothing removed
        #expect(after.endorsements == before.endorsements && after.applications == before.applications && after.pointsEvents == before.pointsEvents)

        // 1: not cancelled without a determination: due for cancellation, listed, corrected in its chain.
        let automatic = try registry.details(permit: 1)
        #expect(automatic.permit.status == .cancellationDue)
        #expect(automatic.permit.cancelledOn == nil)
        #expect(automatic.statusChanges.map(\.reason) == ["issued", "windowOpened", "expired", "overdue", "corrected:v5-seed-rules"])
        #expect(automatic.statusChanges.last?.fromStatus == .cancelled)
        #expect(automatic.migrationReviews.count == 1)
        #expect(try registry.dueForDetermination().first.map(\.permit.id) == [1])
        try registry.cancel(permit: 1, on: d("2026-12-01"), reason: .overdue, decidedBy: "officer Wang", actor: "clerk")
        #expect(try registry.permit(id: 1)?.status == .cancelled)

        // 2: the cycle is back on the issue anniversaries; the residence period still runs from the late endorsement.
        let zhejiang = try #require(try registry.permit(id: 2))
        #expect(zhejiang.residenceSinceOn == d("2025-04-01"))
        #expect(zhejiang.cycleStartOn == d("2024-03-15"))
        #expect(zhejiang.expiryOn == d("2026-03-15"))
        #expect(zhejiang.nextOn == d("2026-02-15") && zhejiang.nextStatus == .windowOpen)
        #expect(zhejiang.pointsValidUntil == d("2025-12-31"))
        #expect(try registry.details(permit: 2).endorsements.map(\.class) == [.lateReset])   // the row as recorded then

        // 3: E + 31 is within Inner Mongolia's grace: residence continuous, validity one year on from the cycle.
        let innerMongolia = try #require(try registry.permit(id: 3))
        #expect(innerMongolia.residenceSinceOn == d("2024-03-15"))
        #expect(innerMongolia.expiryOn == d("2026-03-15"))
        #expect(innerMongolia.nextOn == d("2026-02-13"))

        // 4: the officer's cancellation stays, with its determination carried over.
        let cancelled = try registry.details(permit: 4)
        #expect(cancelled.permit.status == .cancelled)
        #expect(cancelled.cancellation?.decidedBy == "officer-old")
        #expect(cancelled.cancellation?.reason == .falseDocuments)

        // 5: the pending application's deadline is counted again with the State Council's working days.
        #expect(try registry.lateApplications(on: d("2025-10-23")).isEmpty)
        #expect(try registry.lateApplications(on: d("2025-10-24")).map(\.id) == [5])

        // The corrected file sweeps and records like a new one.
        let summary = try registry.sweep(through: d("2026-03-20"))
        #expect(summary.transitions == 4 && summary.suspensions == 2)   // permits 2 and 3: window opened, then suspended on 2026-03-16
        #expect(try registry.endorse(permit: 3, on: d("2026-04-15"), actor: "kiosk") == .lateContinuous)   // E + 31
    }

    @Test func fileFromANewerVersionIsRefusedUntouched() throws {
        let t = try TestRegistry()
        try DatabaseQueue(path: t.path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
        }
        #expect(throws: RegistryError.schemaTooNew(path: t.path, unknown: ["v9-future"])) {
            try t.reopen()
        }
    }
}

/// Rows as an earlier station wrote them, through plain SQL on the old schema.
struct OldStation {
    let db: Database

    func holder(_ n: Int) throws {
        try db.execute(sql: "INSERT INTO holders (id, id_number, name) VALUES (?, ?, ?)", arguments: [n, TestRegistry.idNumber(n), "Holder \(n)"])
    }

    func application(_ n: Int, profile: String, accepted: CalendarDate, deadline: CalendarDate) throws {
        try db.execute(sql: """
            INSERT INTO applications VALUES (?, ?, ?, ?, 'home', 'lease', ?, ?, 'officer', 'old', 'tx0', '2024-03-15T01:00:00Z')
            """, arguments: [n, n, profile, accepted, "\(n) Old Road", deadline])
    }

    func permit(_ n: Int, profile: String, issued: CalendarDate, anchor: CalendarDate, renewals: Int, status: String, statusOn: CalendarDate,
                next: (CalendarDate, String)?, lastEvent: CalendarDate, withPoints: Bool, cancelled: (CalendarDate, String)? = nil) throws {
        try db.execute(sql: """
            INSERT INTO permits (id, application_id, holder_id, profile, issued_on, anchor_on, renewals, cancelled_on, cancel_reason, status, status_on,
                next_on, next_status, address, last_event_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [n, n, n, profile, issued, anchor, renewals, cancelled?.0, cancelled?.1, status, statusOn, next?.0, next?.1,
                             "\(n) Old Road", lastEvent])
        if (try db.columns(in: "permits").contains { $0.name == "points_active" }) {
            try db.execute(sql: "UPDATE permits SET points_active = ? WHERE id = ?", arguments: [withPoints, n])
        }
    }

    /// The permit's status changes, chained, and the permit pointed at the newest.
    func changes(_ permit: Int, _ rows: [(String, String, CalendarDate)], actor: String = "sweep") throws {
        var previous: Int64?, from: String?
        for (to, reason, on) in rows {
            try db.execute(sql: """
                INSERT INTO status_changes (permit_id, previous_id, from_status, to_status, reason, effective_on, actor, station, transaction_id, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'old', 'tx', '2025-01-01T00:00:00Z')
                """, arguments: [permit, previous, from, to, reason, on, actor])
            previous = db.lastInsertedRowID
            from = to
        }
        try db.execute(sql: "UPDATE permits SET last_change_id = ? WHERE id = ?", arguments: [previous, permit])
    }

    func endorsement(_ permit: Int, on: CalendarDate, class: String, expiry: CalendarDate, anchor: CalendarDate) throws {
        try db.execute(sql: """
            INSERT INTO endorsements (permit_id, endorsed_on, class, expiry_after, anchor_after, actor, station, transaction_id, recorded_at)
            VALUES (?, ?, ?, ?, ?, 'kiosk', 'old', 'tx', '2025-01-01T00:00:00Z')
            """, arguments: [permit, on, `class`, expiry, anchor])
    }
}

/// Row counts of the history tables, before and after a migration.
struct RowCounts {
    let statusChanges: Int, endorsements: Int, applications: Int, pointsEvents: Int

    init(_ path: String) throws {
        (statusChanges, endorsements, applications, pointsEvents) = try DatabaseQueue(path: path).read { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
            return (try count("status_changes"), try count("endorsements"), try count("applications"), try count("points_events"))
        }
    }
}
