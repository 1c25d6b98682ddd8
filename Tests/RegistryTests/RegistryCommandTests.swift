import Foundation
import GRDB
import Lifecycle
import Registry
import Testing

/// `permit registry ...`, run as a program on a registry file in a temporary directory.
@Suite struct RegistryCommandTests {
    let directory: URL
    var db: String { directory.appendingPathComponent("station.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func run(_ args: [String]) throws -> PermitCLI.Result {
        try PermitCLI.run(["registry"] + args + ["--db", db, "--station", "test-desk", "--actor", "officer-9"])
    }

    func writeCSV(_ lines: [String]) throws -> String {
        let file = directory.appendingPathComponent("applications.csv")
        try (lines.joined(separator: "\r\n") + "\r\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let header = "id_number,name,accepted_on,grounds,documents,address,issued_on,card_serial"
    static func id(_ n: Int) -> String { TestRegistry.idNumber(n) }

    @Test func importKeepsGoodRowsAndNamesTheBadOnes() throws {
        #expect(try run(["init"]).status == 0)
        let csv = try writeCSV([
            Self.header,
            "\(Self.id(1)),张三,2025-03-01,job,\"labour contract, lease\",\"1 West Lake Road, Hangzhou\",2025-03-15,ZJ-0001",
            "\(Self.id(2)),李四,2025-03-01,home,deed,2 Road,,",
            "\(Self.id(3)),王五,2025-02-30,job,c,3 Road,,",
            "\(Self.id(4)),赵六,2025-03-01,work,c,4 Road,,",
            "\(Self.id(5)),孙八,2025-03-01,study,c,6 Road,2025-03-10,ZJ-0001",
            "\(Self.id(6)),周九,2025-03-01,study,c",
            "110101199003070000,吴十,2025-03-01,job,c,7 Road,,",
        ])
        let result = try run(["import", "--profile", "zhejiang", csv])
        #expect(result.status == 2)
        #expect(result.stdout.contains("Imported 2 of 7 rows (1 with an issued permit); 5 rejected."))
        #expect(result.stdout.contains("line 4, accepted_on: \"2025-02-30\" is not a date"))
        #expect(result.stdout.contains("line 5, grounds: \"work\" is not one of job, home, study"))
        #expect(result.stdout.contains("line 6: Card serial ZJ-0001 is already in the registry"))
        #expect(result.stdout.contains("line 7: has 5 fields, the header has 8"))
        #expect(result.stdout.contains("line 8, id_number:"))
        #expect(result.stderr.contains("7/7 rows (100%)"))   // the progress bar, on stderr
        let show = try run(["show", "--serial", "ZJ-0001"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("张三"))
        #expect(show.stdout.contains("1 West Lake Road, Hangzhou"))
        #expect(show.stdout.contains("by officer-9 at test-desk"))
    }

    @Test func dueThenSweepThenNothingDue() throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001",
                                "\(Self.id(2)),B,2025-03-01,job,c,2 Road,2025-06-15,ZJ-0002"])
        #expect(try run(["import", "--profile", "zhejiang", csv]).status == 0)
        let due = try run(["due", "--on", "2026-03-20"])
        #expect(due.stdout.contains("1 transition(s) due by 2026-03-20"))
        let sweep = try run(["sweep", "--on", "2026-03-20"])
        #expect(sweep.status == 0)
        #expect(sweep.stdout.contains("2 status change(s) on 1 permit(s)"))
        #expect(sweep.stdout.contains("1 suspended"))
        #expect(try run(["sweep", "--on", "2026-03-20"]).stdout.contains("0 status change(s)"))
        #expect(try run(["due", "--on", "2026-03-20"]).stdout.contains("0 transition(s) due"))
        let show = try run(["show", "--id-number", Self.id(1)])
        #expect(show.stdout.contains("status suspended since 2026-03-16"))
        #expect(show.stdout.contains("next: cancelled on 2026-05-15"))
    }

    @Test func secondProcessWritingGetsAClearErrorAndNothingChanges() throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001"])
        #expect(try run(["import", "--profile", "zhejiang", csv]).status == 0)
        let other = try DatabaseQueue(path: db)
        try other.inDatabase { conn in
            try conn.execute(sql: "BEGIN IMMEDIATE")
            let blocked = try PermitCLI.run(["registry", "sweep", "--on", "2026-03-20", "--db", db, "--busy-timeout", "0.3"])
            #expect(blocked.status != 0)
            #expect(blocked.stderr.contains("is being written by another process"))
            try conn.execute(sql: "ROLLBACK")
        }
        #expect(try other.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM status_changes") } == 1)
        #expect(try run(["sweep", "--on", "2026-03-20"]).status == 0)
    }

    @Test(arguments: [
        (["show"], "Give exactly one of --serial, --id-number, --permit"),
        (["show", "--serial", "NOPE"], "No card with serial NOPE"),
        (["due", "--on", "2026-13-01"], "--on: \"2026-13-01\" is not a calendar date"),
        (["import", "--profile", "zhejiang", "/nonexistent.csv"], "Cannot read /nonexistent.csv"),
    ])
    func badInputIsExplained(_ args: [String], _ message: String) throws {
        let result = try run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func importingTheSameFileTwiceAddsNothing() throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001",
                                "\(Self.id(2)),B,2025-03-01,home,c,2 Road,,"])
        #expect(try run(["import", "--profile", "zhejiang", csv]).status == 0)
        let again = try run(["import", "--profile", "zhejiang", csv])
        #expect(again.status == 2)
        #expect(again.stdout.contains("Imported 0 of 2 rows"))
        #expect(again.stdout.contains("line 3: already in the registry as application 2"))
        #expect(try DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM applications") } == 2)
    }

    @Test func unknownProfileIsNamed() throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,,"])
        let result = try run(["import", "--profile", "atlantis", csv])
        #expect(result.status != 0)
        #expect(result.stderr.contains("No card profile \"atlantis\" is loaded (loaded: inner-mongolia, zhejiang)"), "\(result.stderr)")
    }

    @Test func headerProblemsStopTheImportBeforeAnyRow() throws {
        let csv = try writeCSV(["id_number,name,accepted_on,grounds,documents", "\(Self.id(1)),A,2025-03-01,job,c"])
        let result = try run(["import", "--profile", "zhejiang", csv])
        #expect(result.status != 0)
        #expect(result.stderr.contains("lacks the column(s) address"))
    }
}
