import ArgumentParser
import PermitVocabulary
import Foundation
import Lifecycle
import Registry

/// `permit registry remind`: the holders to tell before it is too late (seed 000: 公安机关应主动为持有人办理签注和变更手续提供服务).
struct RegistryRemindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "List holders whose endorsement window closes within N days, or who are suspended and can still endorse; optionally as CSV.",
        discussion: """
        A suspended holder is listed until the last day a late endorsement needs no officer: the end of the continuity grace \
        (Inner Mongolia) or the day before the permit is due for cancellation (Zhejiang). The CSV (UTF-8, RFC 4180) has the \
        columns \(ReminderCSV.header.joined(separator: ",")), for an SMS or letter service.
        """)
    @OptionGroup var options: RegistryOptions
    @Option(help: dateHelp("The date (default: today in the region's time zone).")) var on: CalendarDate?
    @Option(help: "Days ahead to look for windows closing.") var days: Int = 14
    @Option(help: "Also write the list to this CSV file.") var csv: String?

    func validate() throws {
        guard (0...366).contains(days) else { throw ValidationError("--days: \(days) must be between 0 and 366.") }
    }

    func run() throws {
        let registry = try options.open()
        let date = try options.date(on, policies: options.policies())
        let reminders = try registry.reminders(on: date, days: days)
        print("\(reminders.count) holder(s) to remind on \(date) (windows closing by \(date.adding(days: days)), suspended permits still endorsable):")
        for r in reminders {
            let what = r.kind == .windowCloses ? "window closes \(r.deadline)" : "suspended; endorse by \(r.deadline)"
            print("  permit \(r.permitId) (\(r.profile)) \(r.name), ID \(r.idNumber): \(what); \(r.address)")
        }
        if let csv {
            do {
                try ReminderCSV.text(reminders).write(toFile: csv, atomically: true, encoding: .utf8)
            } catch {
                throw CommandError("--csv: cannot write \(csv): \(error.localizedDescription). Check the directory exists and is writable; the list above is complete.")
            }
            print("Wrote \(reminders.count) row(s) to \(csv).")
        }
    }
}

/// The reminder list as CSV: one header line, one row per holder, fields quoted where RFC 4180 needs it.
enum ReminderCSV {
    static let header = ["permit", "profile", "id_number", "name", "address", "status", "reminder", "deadline"]

    static func text(_ reminders: [Reminder]) -> String {
        let rows = [header] + reminders.map {
            [String($0.permitId), $0.profile, $0.idNumber, $0.name, $0.address, $0.status.rawValue, $0.kind.rawValue, $0.deadline.description]
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    private static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
