import Foundation
import GRDB
import Lifecycle
import PropertyBased
import Registry
import Testing

/// The sweep equals the pure rules, is idempotent, and survives being stopped between batches.
@Suite struct SweepTests {
    @Test func sweepAppliesEachDueTransitionWithItsEffectiveDay() throws {
        let t = try TestRegistry()
        let zj = try t.issue(1, on: d("2025-03-15")).id!
        let im = try t.issue(2, profile: "inner-mongolia", on: d("2025-03-15")).id!
        try t.registry.grantPoints(permit: zj, on: d("2025-04-01"), actor: "o")
        #expect(try t.registry.due(through: d("2026-02-12")).count == 0)
        #expect(try t.registry.due(through: d("2026-02-13")).first.map(\.permitId) == [im])
        let summary = try t.registry.sweep(through: d("2026-05-15"))
        #expect(summary.transitions == 5)   // zj: windowOpen, suspended, cancelled; im: windowOpen, suspended
        #expect(summary.pointsLapses == 1)
        let changes = try t.registry.details(permit: zj).statusChanges
        #expect(changes.map(\.effectiveOn) == ["2025-03-15", "2026-02-15", "2026-03-16", "2026-05-15"].map(d))
        #expect(changes.map(\.reason) == ["issued", "windowOpened", "expired", "overdue"])
        #expect(changes.dropFirst().allSatisfy { $0.actor == "sweep" })
        #expect(try t.registry.details(permit: zj).pointsEvents.map(\.kind) == [.granted, .lapsed])
        #expect(try t.registry.permit(id: im)?.status == .suspended)
        #expect(try t.registry.due(through: d("2030-01-01")).count == 0)
    }

    @Test func sweepStoppedBetweenBatchesThenRerunEqualsOneRun() throws {
        let a = try TestRegistry(), b = try TestRegistry()
        for t in [a, b] { for n in 0..<30 { try t.issue(n, on: d("2025-03-01").adding(days: n)) } }
        struct Crash: Error {}
        #expect(throws: RegistryError.self) {
            try a.registry.sweep(through: d("2026-06-01"), batchSize: 4) { total in if total.batches == 2 { throw Crash() } }
        }
        #expect(try a.registry.due(through: d("2026-06-01")).count == 22)
        try a.registry.sweep(through: d("2026-06-01"), batchSize: 4)
        try b.registry.sweep(through: d("2026-06-01"))
        #expect(try RegistrySnapshot(a.path) == RegistrySnapshot(b.path))
    }

    /// Random histories for several permits of both regions, recorded through the registry with sweeps
    /// at random days in between; the end state must equal `Lifecycle.evaluate` for every permit.
    @Test func sweepEqualsThePureRulesAndIsIdempotent() async throws {
        let step = Gen.int(in: 1...200)
        let action = Gen.int(in: 0...9)
        let plan = zip(step, action, Gen.int(in: 0...3)).array(of: 1...25)
        await propertyCheck(count: 40, input: plan) { plan in
            let t = try TestRegistry()
            let start = d("2024-01-01")
            var ids: [Int64] = []
            for n in 0..<4 {
                ids.append(try t.issue(n, profile: n.isMultiple(of: 2) ? "zhejiang" : "inner-mongolia", on: start.adding(days: n * 37)).id!)
            }
            var day = start.adding(days: 3 * 37)
            for (gap, kind, which) in plan {
                day = day.adding(days: gap)
                let id = ids[which]
                switch kind {
                case 0...5: _ = try? t.registry.endorse(permit: id, on: day, actor: "kiosk")
                case 6: _ = try? t.registry.cancel(permit: id, on: day, reason: .lossOfEligibility, actor: "officer")
                case 7: _ = try? t.registry.grantPoints(permit: id, on: day, actor: "officer")
                default: try t.registry.sweep(through: day)
                }
            }
            // End on the earliest pending transition day when there is one: the sweep's boundary.
            let pending = try t.registry.due(through: day.adding(days: 5000), limit: 1).first.first?.on
            let end = pending.map { max($0, day) } ?? day.adding(days: 30)
            try t.registry.sweep(through: end)
            #expect(try t.registry.due(through: end).count == 0)
            for id in ids {
                let permit = try #require(try t.registry.permit(id: id))
                let policy = TestRegistry.policies[permit.profile]!
                let pure = try Lifecycle.evaluate(try t.registry.history(permit: id), policy: policy, on: end)
                #expect(permit.status == pure.status)
                #expect(permit.anchorOn == pure.residenceSince)
                #expect(permit.state.expiry(policy) == pure.expiry)
                #expect(permit.nextOn == pure.nextTransition?.on)
                #expect(permit.nextStatus == pure.nextTransition?.to)
                // The recorded status changes replay to the current status, each on the whitelist; nothing leaves cancelled.
                let changes = try t.registry.details(permit: id).statusChanges
                let stored = try DatabaseQueue(path: t.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM status_changes WHERE permit_id = ?", arguments: [id]) }
                #expect(changes.count == stored)   // the chain reaches every row of the permit
                #expect(changes.last?.toStatus == permit.status)
                for (before, after) in zip(changes, changes.dropFirst()) {
                    #expect(after.fromStatus == before.toStatus)
                    #expect(before.toStatus != .cancelled)
                    #expect(after.effectiveOn >= before.effectiveOn)
                }
                if !permit.status.isInForce { #expect(permit.pointsActive == false) }
            }
            let once = try RegistrySnapshot(t.path)
            let again = try t.registry.sweep(through: end)
            #expect(again.transitions == 0)
            #expect(try RegistrySnapshot(t.path) == once)
        }
    }
}

/// Every row of every registry table, for comparing two registries or one before and after.
/// Transaction ids are random per transaction, so they are left out.
struct RegistrySnapshot: Equatable {
    let tables: [String: [[String]]]

    init(_ path: String) throws {
        tables = try DatabaseQueue(path: path).read { db in
            var result: [String: [[String]]] = [:]
            let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            for name in names {
                let columns = try db.columns(in: name).map(\.name).filter { $0 != "transaction_id" }
                result[name] = try Row.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(name) ORDER BY id")
                    .map { row in columns.map { (row[$0] as DatabaseValue).description } }
            }
            return result
        }
    }
}
