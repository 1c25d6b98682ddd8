import Foundation
import GRDB
import Lifecycle
import Registry
import Testing
import TestPrograms

/// permitd's service life: the daily sweep on start when a day was missed and on an officer's request,
/// reload on SIGHUP (a bad file changes nothing), a clean stop on SIGTERM, and the audit trail of it all.
@Suite("permitd sweep, reload, stop and audit")
struct DaemonLifecycleTests {
    /// Three Zhejiang permits issued 2025-03-15 (expiry 2026-03-15, suspended from 2026-03-16 if not endorsed;
    /// 2026-04-01 is well before the 60-day limit for cancellation).
    static func importPermits(_ daemon: DaemonProcess) async throws {
        let csv = daemon.directory.appendingPathComponent("applications.csv")
        let rows = (1...3).map { n in
            "\(CitizenID(region: 330_102, birth: CalendarDate(year: 1990, month: 1, day: n)!, sequence: n).text),Holder \(n),2025-03-01,job,lease,\(n) West Lake Road,2025-03-15,5A4A00000000000\(n)"
        }
        try (["id_number,name,accepted_on,grounds,documents,address,issued_on,card_serial"] + rows).joined(separator: "\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        let imported = try await TestProgram.permit(["registry", "import", "--profile", "zhejiang", csv.path] + daemon.registryOptions)
        #expect(imported.status == 0, "\(imported.output)\(imported.errors)")
    }

    @Test("a missed day is swept on start; an officer's sweep finds nothing left; both are recorded")
    func sweepOnStart() async throws {
        let daemon = try await DaemonProcess()
        try await Self.importPermits(daemon)
        try await daemon.start(arguments: ["--test-clock", "2026-04-01"])
        try await daemon.waitForStartupSweep()
        let last = try #require((try await daemon.curl(["/status"], token: "verifier").json?["sweep"] as? [String: Any])?["last"] as? [String: Any])
        #expect(last["trigger"] as? String == "startup" && last["outcome"] as? String == "completed")
        #expect(last["through"] as? String == "2026-04-01")
        #expect(last["suspensions"] as? Int == 3, "\(last)")
        let statuses = try await DatabaseQueue(path: daemon.registry).read { try String.fetchAll($0, sql: "SELECT status FROM permits") }
        #expect(statuses == ["suspended", "suspended", "suspended"])

        let again = try await daemon.curl(["/sweep", "-X", "POST", "-H", "Content-Type: application/json", "--data", "{}"], token: "officer")
        #expect(again.status == 200, "\(again.body)")
        #expect(again.json?["trigger"] as? String == "officer" && again.json?["transitions"] as? Int == 0)
        let due = try await daemon.permitThroughDaemon(["due", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(due.output.utf8)) as? [String: Any])?["count"] as? Int == 0, "\(due.output)\(due.errors)")
        let runs = try await DatabaseQueue(path: daemon.registry).read {
            try Row.fetchAll($0, sql: "SELECT trigger, actor, outcome FROM sweep_runs ORDER BY id").map { "\($0[0] as String)/\($0[1] as String)/\($0[2] as String)" }
        }
        #expect(runs == ["startup/permitd/completed", "officer/officer 1/completed"])
        try await daemon.stop()

        // Started again the same day: nothing was missed, so no sweep runs.
        try await daemon.start(arguments: ["--test-clock", "2026-04-01"])
        try await Task.sleep(for: .seconds(1))
        #expect(try APITests.sweepRuns(daemon.registry) == 2)
        try await daemon.stop()
    }

    @Test("SIGHUP reloads the configuration; a bad file is refused and the running one kept; SIGTERM stops cleanly")
    func reloadAndStop() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.start(arguments: ["--test-clock", "2026-04-01"])
        func sweepAt() async throws -> String? {
            (try await daemon.curl(["/status"], token: "officer").json?["sweep"] as? [String: Any])?["at"] as? String
        }
        #expect(try await sweepAt() == "00:05")
        try daemon.writeConfiguration(extra: ["sweep:", "  at: \"03:30\""])
        daemon.program?.signal(SIGHUP)
        try await Self.eventually { try await sweepAt() == "03:30" }
        try daemon.writeConfiguration(extra: ["sweep:", "  at: \"25:00\""])
        daemon.program?.signal(SIGHUP)
        try await Task.sleep(for: .seconds(1))
        #expect(try await sweepAt() == "03:30")
        let stopped = try await daemon.stop()
        #expect(stopped.status == 0)
        #expect(stopped.errors.contains("reload refused, the running configuration is kept"), "\(stopped.errors)")
        #expect(stopped.errors.contains("line 8: sweep.at: \"25:00\" is not a time of day as HH:MM"), "\(stopped.errors)")
        #expect(stopped.errors.contains("permitd stopped"))
    }

    @Test("a bad configuration stops permitd before it starts, naming the file, the line and the fix")
    func badConfiguration() async throws {
        let daemon = try await DaemonProcess(extra: ["tcp:", "  port: 8080", "  address: 0.0.0.0"])
        let refused = try await TestProgram.run(TestProgram.builtProduct("permitd"), ["--config", daemon.configuration])
        #expect(refused.status == 78)
        #expect(refused.errors.contains("line 9: tcp.address: \"0.0.0.0\" is not a loopback address"), "\(refused.errors)")
        try daemon.writeConfiguration(extra: ["sweep:", "  time: \"01:00\""])
        let unknown = try await TestProgram.run(TestProgram.builtProduct("permitd"), ["--config", daemon.configuration, "--check"])
        #expect(unknown.status == 78)
        #expect(unknown.errors.contains("line 8: unknown option \"sweep.time\"; the options here are at, batch-size"), "\(unknown.errors)")
    }

    @Test("every request is in the audit log; permit audit verify finds it intact, then names an edited entry")
    func auditTrail() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.start(arguments: ["--test-clock", "2026-04-01"])
        _ = try await daemon.curl(["/status"], token: "officer")
        _ = try await daemon.curl(["/due"], token: "kiosk")
        _ = try await daemon.curl(["/status"], token: nil)
        try await daemon.stop()
        let entries = try await DatabaseQueue(path: daemon.registry).read {
            try Row.fetchAll($0, sql: "SELECT actor, role, act, outcome FROM audit_log ORDER BY id")
                .map { "\($0[0] as String)|\(($0[1] as String?) ?? "-")|\($0[2] as String)|\($0[3] as String)" }
        }
        #expect(entries.suffix(3) == ["officer 1|officer|getStatus|200", "kiosk 1|kiosk|listDue|403 forbidden", "-|-|getStatus|401 not-authenticated"], "\(entries)")
        let intact = try await TestProgram.permit(["audit", "verify"] + daemon.registryOptions)
        #expect(intact.status == 0 && intact.output.contains("Audit log intact: \(entries.count) entries; head \(entries.count):"), "\(intact.output)")
        try await DatabaseQueue(path: daemon.registry).write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET outcome = '200' WHERE act = 'listDue'")
        }
        let broken = try await TestProgram.permit(["audit", "verify", "--json"] + daemon.registryOptions)
        #expect(broken.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(broken.output.utf8)) as? [String: Any]
        #expect(report?["intact"] as? Bool == false)
        #expect((report?["problems"] as? [String])?.contains("entry \(entries.count - 1) was edited: its content does not match its hash") == true, "\(broken.output)")
    }

    static func eventually(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not met within 10 s")
    }
}
