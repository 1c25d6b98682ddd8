import Foundation
import GRDB
import Lifecycle
import PropertyBased
import Registry
import RulesOracle
import Testing

/// The sweep applies the rules as the oracle reads them, never cancels, is idempotent, and survives being stopped between batches.
@Suite struct SweepTests {
    @Test func sweepAppliesEachDueTransitionWithItsEffectiveDayAndNeverCancels() throws {
        let t = try TestRegistry()
        let zj = try t.issue(1, on: d("2025-03-15")).id!
        let im = try t.issue(2, profile: "inner-mongolia", on: d("2025-03-15")).id!
        try t.registry.grantPoints(permit: zj, on: d("2026-01-10"), actor: "o")   // valid through 2026-12-31 unless it lapses
        #expect(try t.registry.due(through: d("2026-02-12")).count == 0)
        #expect(try t.registry.due(through: d("2026-02-13")).first.map(\.permitId) == [im])
        let summary = try t.registry.sweep(through: d("2026-05-15"))
        #expect(summary.transitions == 5)   // zj: windowOpen, suspended, cancellationDue; im: windowOpen, suspended
        #expect(summary.cancellationsDue == 1)
        #expect(summary.pointsLapses == 1)
        let changes = try t.registry.details(permit: zj).statusChanges
        #expect(changes.map(\.effectiveOn) == ["2025-03-15", "2026-02-15", "2026-03-16", "2026-05-15"].map(d))
        #expect(changes.map(\.reason) == ["issued", "windowOpened", "expired", "overdue"])
        #expect(changes.dropFirst().allSatisfy { $0.actor == "sweep" })
        #expect(try t.registry.details(permit: zj).pointsEvents.map(\.kind) == [.granted, .lapsed])
        #expect(try t.registry.permit(id: zj)?.status == .cancellationDue)
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

    static let histories = 30
    static let plan = zip(Gen.int(in: 0...999), Gen.int(in: 0...999)).array(of: 1...8).array(of: 4)
    static let sweepChoices = Gen.int(in: 0...2).array(of: 40)

    /// Four permits (two per region), each with a history valid by construction (`ValidHistory`), recorded through
    /// the registry in day order with sweeps between events; every write must succeed or fail exactly as the
    /// independent oracle says (nothing is swallowed), and at the end each permit's stored state, schedule and
    /// status chain must match the oracle. Sweeping again must change nothing.
    @Test func recordedValidHistoriesAndSweepsMatchTheIndependentOracle() async throws {
        var covered: [String: Int] = [:], sweeps = 0, recorded = 0
        await propertyCheck(count: Self.histories, input: Gen.int(in: 0...2800), Self.plan, Self.sweepChoices) { offset, plans, sweepPlan in
            let t = try TestRegistry()
            let start = RulesOracle.day(iso: "2016-06-01") + offset
            let regions = [RulesOracle.Region.zhejiang, .innerMongolia, .zhejiang, .innerMongolia]
            var permits: [(id: Int64, history: ValidHistory)] = []
            for (n, region) in regions.enumerated() {
                let issued = start + n * 37
                let id = try t.issue(n, profile: region.name, on: CalendarDate(dayNumber: issued)).id!
                permits.append((id, ValidHistory(region: region, issued: issued, steps: plans[n], otherReason: "localHukou")))
            }
            // Every event of every permit, in day order; a sweep through an event's day may come before it.
            let all = permits.flatMap { permit in permit.history.events.map { (permit.id, $0) } }.sorted { $0.1.day < $1.1.day }
            for (index, (id, event)) in all.enumerated() {
                let day = CalendarDate(dayNumber: event.day)
                if sweepPlan[index % sweepPlan.count] == 0 {
                    try t.registry.sweep(through: day)
                    sweeps += 1
                }
                covered["\(event.kind.rawValue) \(event.expected.prefix { $0 != ":" })", default: 0] += 1
                switch event.kind {
                case .overdueCancellation, .prematureOverdueCancellation, .otherCancellation:
                    let reason: CancellationReason = event.kind == .otherCancellation ? .localHukou : .overdue
                    if event.expected == "accepted" {
                        try t.registry.cancel(permit: id, on: day, reason: reason, decidedBy: "officer", actor: "officer")
                    } else {
                        let dueFrom = permits.first { $0.id == id }!.history.oracle(on: event.day).dueFrom.map(CalendarDate.init(dayNumber:))
                        #expect(throws: RegistryError.refused(permit: id, .overdueCancellationNotDue(on: day, dueFrom: dueFrom))) {
                            try t.registry.cancel(permit: id, on: day, reason: reason, decidedBy: "officer", actor: "officer")
                        }
                    }
                default:
                    if event.expected.contains(":") {
                        let error = try #require(throws: RegistryError.self) { try t.registry.endorse(permit: id, on: day, actor: "kiosk") }
                        guard case .refused(id, .endorsementRefused(day, let refusal)) = error else {
                            Issue.record("endorsement of permit \(id) on \(day): \(error)")
                            continue
                        }
                        #expect(refusal.code == event.expected)
                    } else {
                        #expect(try t.registry.endorse(permit: id, on: day, actor: "kiosk").rawValue == event.expected)
                        if event.kind == .timely, permits.first(where: { $0.id == id })!.history.region.name == "zhejiang" {
                            try t.registry.grantPoints(permit: id, on: day, actor: "points-office")
                        }
                    }
                }
                recorded += 1
            }
            let end = (all.last?.1.day ?? start) + 400
            try t.registry.sweep(through: CalendarDate(dayNumber: end))
            for (id, history) in permits {
                let permit = try #require(try t.registry.permit(id: id))
                let oracle = history.oracle(on: end)
                #expect(permit.status.rawValue == oracle.status(on: end), "permit \(id)")
                #expect(permit.expiryOn.dayNumber == oracle.expiry)
                #expect(permit.residenceSinceOn.dayNumber == oracle.residenceSince)
                #expect(permit.cancelledOn?.dayNumber == oracle.cancelledOn)
                // The stored schedule is the oracle's next change after the last day the sweep applied.
                let next = oracle.nextChange(after: end)
                #expect(permit.nextOn?.dayNumber == next?.day)
                #expect(permit.nextStatus?.rawValue == next?.status)
                // The chain reaches every row of the permit, replays to its status, and each move is a rule move.
                let changes = try t.registry.details(permit: id).statusChanges
                let stored = try DatabaseQueue(path: t.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM status_changes WHERE permit_id = ?", arguments: [id]) }
                #expect(changes.count == stored)
                #expect(changes.last?.toStatus == permit.status)
                for (before, after) in zip(changes, changes.dropFirst()) {
                    let trigger = after.reason.prefix { $0 != ":" }
                    #expect(after.fromStatus == before.toStatus)
                    #expect(RulesOracle.allowedMoves.contains("\(before.toStatus.rawValue)>\(after.toStatus.rawValue):\(trigger)"),
                            "permit \(id): \(before.toStatus) → \(after.toStatus) by \(after.reason)")
                    #expect(after.effectiveOn >= before.effectiveOn)
                }
                if !permit.status.isInForce { #expect(!permit.pointsActive) }
            }
            let once = try RegistrySnapshot(t.path)
            #expect(try t.registry.sweep(through: CalendarDate(dayNumber: end)).transitions == 0)
            #expect(try RegistrySnapshot(t.path) == once)
        }
        // Every event was recorded (none skipped), sweeps ran between them, and each kind of event was reached.
        #expect(recorded == covered.values.reduce(0, +))
        #expect(sweeps >= Self.histories)
        for kind in ["timely timely", "lateReset lateReset", "lateContinuous lateContinuous", "early windowNotOpen", "whileDue cancellationDue",
                     "overdueCancellation accepted", "prematureOverdueCancellation refused", "otherCancellation accepted",
                     "afterCancellation cancelled"] {
            #expect(covered[kind, default: 0] >= 2, "\(kind): covered \(covered[kind, default: 0]) times; all: \(covered)")
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
