import Foundation
import GRDB
import Lifecycle
import Registry
import Testing

/// A second writer on the same file: the other one waits, then fails clearly with nothing written.
@Suite struct ConcurrencyTests {
    @Test func writerBlockedByAnotherConnectionFailsCleanly() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        let other = try t.reopen(busyTimeout: 0.2)
        let holder = try DatabaseQueue(path: t.path)
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")   // another process in the middle of a write
            #expect(throws: RegistryError.busy(path: t.path, waitedSeconds: 0.2)) {
                try other.endorse(permit: id, on: d("2026-02-20"), actor: "kiosk")
            }
            #expect(throws: RegistryError.busy(path: t.path, waitedSeconds: 0.2)) {
                try other.sweep(through: d("2026-03-20"))
            }
            try db.execute(sql: "ROLLBACK")
        }
        // Nothing was half-written; once the lock is gone the same write succeeds.
        #expect(try other.details(permit: id).statusChanges.count == 1)
        #expect(try other.endorse(permit: id, on: d("2026-02-20"), actor: "kiosk") == .timely)
    }

    @Test func concurrentWritersFromTwoConnectionsAllLand() async throws {
        let t = try TestRegistry()
        let other = try t.reopen()
        let ids = try (0..<20).map { try t.issue($0, on: d("2025-03-15")).id! }
        await withTaskGroup(of: Void.self) { group in
            for (n, id) in ids.enumerated() {
                let registry = n.isMultiple(of: 2) ? t.registry : other
                group.addTask { _ = try? registry.endorse(permit: id, on: d("2026-02-20"), actor: "kiosk") }
            }
        }
        for id in ids { #expect(try t.registry.details(permit: id).endorsements.count == 1) }
    }
}
