import Foundation
import GRDB
import Lifecycle
import Registry
import Testing
import TestPrograms

/// A database file made by the v1 schema alone is upgraded in place, keeping its data.
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
            try RegistrySchema.migrator.migrate(old, upTo: "v1")
            try old.write { db in
                let issued = d("2025-03-15").dayNumber, opens = d("2026-02-15").dayNumber
                try db.execute(sql: "INSERT INTO holders (id, id_number, name) VALUES (1, ?, 'Old Holder')", arguments: [TestRegistry.idNumber(1)])
                try db.execute(sql: """
                    INSERT INTO applications VALUES (1, 1, 'zhejiang', ?, 'home', 'lease', '1 Old Road', ?, 'officer', 'old', 'tx0', '2025-03-15T01:00:00Z')
                    """, arguments: [issued, issued + 21])
                try db.execute(sql: """
                    INSERT INTO permits (id, application_id, holder_id, profile, issued_on, anchor_on, renewals, status, status_on,
                        next_on, next_status, address, last_event_on)
                    VALUES (1, 1, 1, 'zhejiang', ?, ?, 0, 'inForce', ?, ?, 'windowOpen', '1 Old Road', ?)
                    """, arguments: [issued, issued, issued, opens, issued])
                try db.execute(sql: "INSERT INTO cards (permit_id, serial, issued_on) VALUES (1, 'OLD-0001', ?)", arguments: [issued])
            }
            #expect(try old.read { try $0.columns(in: "permits").contains { $0.name == "points_active" } } == false)
        }
        // Earlier stations created the file readable by all; the new one refuses it until it is made private.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: RegistryError.exposed(path: path, mode: 0o644)) {
            try Registry(path: path, station: "new", policies: TestRegistry.policies, clock: TestRegistry.fixedClock)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let registry = try Registry(path: path, station: "new", policies: TestRegistry.policies, clock: TestRegistry.fixedClock)
        #expect(try registry.appliedMigrations() == RegistrySchema.versions)
        let lookup = try #require(try registry.lookup(serial: "OLD-0001"))
        #expect(lookup.holder.name == "Old Holder")
        #expect(lookup.permit.pointsActive == false)
        // The upgraded file works with the new features: points, then the sweep lapses them on suspension.
        try registry.grantPoints(permit: 1, on: d("2025-06-01"), actor: "officer")
        let summary = try registry.sweep(through: d("2026-03-16"))
        #expect(summary.transitions == 2)
        #expect(summary.pointsLapses == 1)
        #expect(try registry.permit(id: 1)?.status == .suspended)
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
