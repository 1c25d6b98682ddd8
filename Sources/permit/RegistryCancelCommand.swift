import ArgumentParser
import PermitVocabulary
import Lifecycle
import Registry

/// `permit registry cancel`: records an officer's determination to cancel a permit (注销), with who decided.
struct RegistryCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Record the determination to cancel a permit, with its reason and who decided.",
        discussion: """
        Reasons: \(CancellationReason.allCases.map(\.rawValue).joined(separator: ", ")). overdue is accepted only for a permit due for \
        cancellation (see `permit registry due`). A cancelled permit is never restored; the person applies again.
        """)
    @OptionGroup var options: RegistryOptions
    @Option(help: "Permit number.") var permit: Int64
    @Option(help: "Reason code.") var reason: String
    @Option(help: "The officer or department that made the determination (经有关部门认定).") var decidedBy: String
    @Option(help: "A note for the record (optional).") var note: String = ""
    @Option(help: dateHelp("The effective date (default: today in the region's time zone).")) var on: CalendarDate?

    func run() throws {
        let code = try LifecycleArguments.reason(reason, option: "--reason")
        let registry = try options.open()
        let date = try options.date(on, policies: options.policies())
        try registry.cancel(permit: permit, on: date, reason: code, decidedBy: decidedBy, note: note, actor: options.actor)
        print("Permit \(permit) cancelled from \(date) (\(code.rawValue): \(code.explanation)), decided by \(decidedBy).")
    }
}
