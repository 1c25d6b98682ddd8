import Foundation
import GRDB
import Lifecycle
import Registry
import Testing
import TestPrograms

/// `permit registry ...`, run as a program on a registry file in a temporary directory.
@Suite struct RegistryCommandTests {
    let directory: URL
    var db: String { directory.appendingPathComponent("station.sqlite").path }

    init() throws {
        directory = ScratchDirectory.make("registry-cli")
    }

    func run(_ args: [String]) async throws -> TestProgram.Result {
        try await permit(["registry"] + args + ["--db", db, "--station", "test-desk", "--actor", "officer-9"])
    }

    func writeCSV(_ lines: [String]) throws -> String {
        let file = directory.appendingPathComponent("applications.csv")
        try (lines.joined(separator: "\r\n") + "\r\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static let header = "id_number,name,accepted_on,grounds,documents,address,issued_on,card_serial,residence_registered_on"
    static func id(_ n: Int) -> String { TestRegistry.idNumber(n) }

    @Test func importKeepsGoodRowsAndNamesTheBadOnes() async throws {
        #expect(try await run(["init"]).status == 0)
        let csv = try writeCSV([
            Self.header,
            "\(Self.id(1)),张三,2025-03-01,job,\"labour contract, lease\",\"1 West Lake Road, Hangzhou\",2025-03-15,ZJ-0001,2024-08-01",
            "\(Self.id(2)),李四,2025-03-01,home,deed,2 Road,,,2024-08-01",
            "\(Self.id(3)),王五,2025-02-30,job,c,3 Road,,,2024-08-01",
            "\(Self.id(4)),赵六,2025-03-01,work,c,4 Road,,,2024-08-01",
            "\(Self.id(5)),孙八,2025-03-01,study,c,6 Road,2025-03-10,ZJ-0001,2024-08-01",
            "\(Self.id(6)),周九,2025-03-01,study,c",
            "110101199003070000,吴十,2025-03-01,job,c,7 Road,,,2024-08-01",
        ])
        let result = try await run(["import", "--profile", "zhejiang", csv])
        #expect(result.status == 2)
        #expect(result.output.contains("Imported 2 of 7 rows (1 with an issued permit); 5 rejected."))
        #expect(result.output.contains("line 4, accepted_on: \"2025-02-30\" is not a date"))
        #expect(result.output.contains("line 5, grounds: \"work\" is not one of job, home, study"))
        #expect(result.output.contains("line 6: Card serial ZJ-0001 is already in the registry"))
        #expect(result.output.contains("line 7: has 5 fields, the header has 9"))
        #expect(result.output.contains("line 8, id_number:"))
        #expect(result.errors.contains("7/7 rows (100%)"))   // the progress bar, on stderr
        let show = try await run(["show", "--serial", "ZJ-0001"])
        #expect(show.status == 0)
        #expect(show.output.contains("张三"))
        #expect(show.output.contains("1 West Lake Road, Hangzhou"))
        #expect(show.output.contains("by officer-9 at test-desk"))
    }

    @Test func dueThenSweepThenNothingDue() async throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001,2024-08-01",
                                "\(Self.id(2)),B,2025-03-01,job,c,2 Road,2025-06-15,ZJ-0002,2024-08-01"])
        #expect(try await run(["import", "--profile", "zhejiang", csv]).status == 0)
        let due = try await run(["due", "--on", "2026-03-20"])
        #expect(due.output.contains("1 transition(s) due by 2026-03-20"))
        let sweep = try await run(["sweep", "--on", "2026-03-20"])
        #expect(sweep.status == 0)
        #expect(sweep.output.contains("2 status change(s) on 1 permit(s)"))
        #expect(sweep.output.contains("1 suspended"))
        #expect(try await run(["sweep", "--on", "2026-03-20"]).output.contains("0 status change(s)"))
        #expect(try await run(["due", "--on", "2026-03-20"]).output.contains("0 transition(s) due"))
        let show = try await run(["show", "--id-number", Self.id(1)])
        #expect(show.output.contains("status suspended since 2026-03-16"))
        #expect(show.output.contains("next: cancellationDue on 2026-05-15"))
    }

    @Test func dueListsPermitsForADeterminationAndCancelRecordsWhoDecided() async throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001,2024-08-01"])
        #expect(try await run(["import", "--profile", "zhejiang", csv]).status == 0)
        let early = try await run(["cancel", "--permit", "1", "--reason", "overdue", "--decided-by", "chief Li", "--on", "2026-05-14"])
        #expect(early.status == 1)
        #expect(early.errors.contains("is due for cancellation only from 2026-05-15"), "\(early.errors)")
        let sweep = try await run(["sweep", "--on", "2026-05-15"])
        #expect(sweep.output.contains("1 due for cancellation"))
        let due = try await run(["due", "--on", "2026-05-20"])
        #expect(due.output.contains("1 permit(s) due for cancellation"))
        #expect(due.output.contains("permit 1 (ID \(Self.id(1)), A): due since 2026-05-15, expired 2026-03-15"))
        let cancel = try await run(["cancel", "--permit", "1", "--reason", "overdue", "--decided-by", "chief Li", "--on", "2026-05-20"])
        #expect(cancel.status == 0, "\(cancel.errors)")
        #expect(cancel.output.contains("Permit 1 cancelled from 2026-05-20 (overdue"))
        let show = try await run(["show", "--permit", "1"])
        #expect(show.output.contains("cancellation determined: overdue from 2026-05-20, decided by chief Li"))
        #expect(try await run(["due", "--on", "2026-05-21"]).output.contains("0 permit(s) due for cancellation"))
    }

    @Test func remindListsClosingWindowsAndSuspendedHoldersAndWritesCSV() async throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),\"Wang, Wei\",2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001,2024-08-01",
                                "\(Self.id(2)),B,2025-03-01,job,c,2 Road,2025-03-25,ZJ-0002,2024-08-01",
                                "\(Self.id(3)),C,2025-03-01,job,c,3 Road,2025-06-01,ZJ-0003,2024-08-01"])
        #expect(try await run(["import", "--profile", "zhejiang", csv]).status == 0)
        let file = directory.appendingPathComponent("remind.csv").path
        // On 2026-03-20: permit 1 suspended since 03-16 (endorse by E + 60 = 05-14), permit 2's window closes 03-25, permit 3 not yet.
        let result = try await run(["remind", "--on", "2026-03-20", "--days", "7", "--csv", file])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("2 holder(s) to remind on 2026-03-20"))
        let rows = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\r\n").map(String.init)
        #expect(rows == [
            "permit,profile,id_number,name,address,status,reminder,deadline",
            "2,zhejiang,\(Self.id(2)),B,2 Road,windowOpen,windowCloses,2026-03-25",
            "1,zhejiang,\(Self.id(1)),\"Wang, Wei\",1 Road,suspended,suspendedGraceEnds,2026-05-14",
        ])
        // On 2026-05-25 permits 1 and 2 are due for cancellation (not remindable), permit 3's window closes after 05-28.
        #expect(try await run(["remind", "--on", "2026-05-25", "--days", "3"]).output.contains("0 holder(s) to remind"))
    }

    @Test func counterInACentralRegionRefusesToPersonaliseAndSaysWhoDoes() async throws {
        let refused = try await permit(["card", "issue", "--profile", "inner-mongolia", "--pki", "/nonexistent", "--application", "/nonexistent.json"])
        #expect(refused.status == 1)
        #expect(refused.errors.contains("in the inner-mongolia region cards are personalised by the central office"), "\(refused.errors)")
        // The central office's station gets past that check (and stops at the missing application file instead).
        let central = try await permit(["card", "issue", "--profile", "inner-mongolia", "--station-role", "centralOffice", "--pki", "/nonexistent",
                                        "--application", "/nonexistent.json"])
        #expect(central.status != 0)
        #expect(!central.errors.contains("central office"))
        #expect(central.errors.contains("/nonexistent.json"))
        // Zhejiang's stations personalise their own cards.
        let zhejiang = try await permit(["card", "issue", "--profile", "zhejiang", "--pki", "/nonexistent", "--application", "/nonexistent.json"])
        #expect(!zhejiang.errors.contains("central office"))
    }

    @Test func secondProcessWritingGetsAClearErrorAndNothingChanges() async throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001,2024-08-01"])
        #expect(try await run(["import", "--profile", "zhejiang", csv]).status == 0)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the write lock stays held while the CLI runs
        let other = try DatabaseQueue(path: db, configuration: configuration)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let blocked = try await permit(["registry", "sweep", "--on", "2026-03-20", "--db", db, "--busy-timeout", "0.3"])
        #expect(blocked.status != 0)
        #expect(blocked.errors.contains("is being written by another process"))
        try other.inDatabase { try $0.execute(sql: "ROLLBACK") }
        #expect(try await other.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM status_changes") } == 1)
        #expect(try await run(["sweep", "--on", "2026-03-20"]).status == 0)
    }

    @Test(arguments: [
        (["show"], "Give exactly one of --serial, --id-number, --permit"),
        (["show", "--serial", "NOPE"], "No card with serial NOPE"),
        (["due", "--on", "2026-13-01"], "The value '2026-13-01' is invalid for '--on <YYYY-MM-DD>'"),
        (["import", "--profile", "zhejiang", "/nonexistent.csv"], "cannot open /nonexistent.csv: it is missing or not readable"),
    ])
    func badInputIsExplained(_ args: [String], _ message: String) async throws {
        let result = try await run(args)
        #expect(result.status != 0)
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    @Test func importingTheSameFileTwiceAddsNothing() async throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,2025-03-15,ZJ-0001,2024-08-01",
                                "\(Self.id(2)),B,2025-03-01,home,c,2 Road,,,2024-08-01"])
        #expect(try await run(["import", "--profile", "zhejiang", csv]).status == 0)
        let again = try await run(["import", "--profile", "zhejiang", csv])
        #expect(again.status == 2)
        #expect(again.output.contains("Imported 0 of 2 rows"))
        #expect(again.output.contains("line 3: already in the registry as application 2"))
        #expect(try await DatabaseQueue(path: db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM applications") } == 2)
    }

    @Test func unknownProfileIsNamed() async throws {
        let csv = try writeCSV([Self.header, "\(Self.id(1)),A,2025-03-01,job,c,1 Road,,,2024-08-01"])
        let result = try await run(["import", "--profile", "atlantis", csv])
        #expect(result.status != 0)
        #expect(result.errors.contains("No card profile \"atlantis\" is loaded (loaded: inner-mongolia, zhejiang)"), "\(result.errors)")
    }

    @Test func headerProblemsStopTheImportBeforeAnyRow() async throws {
        let csv = try writeCSV(["id_number,name,accepted_on,grounds,documents", "\(Self.id(1)),A,2025-03-01,job,c"])
        let result = try await run(["import", "--profile", "zhejiang", csv])
        #expect(result.status != 0)
        #expect(result.errors.contains("lacks the column(s) address"))
    }
}
