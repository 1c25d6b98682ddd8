import ArgumentParser
import PermitVocabulary
import Registry

struct RegistryDueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "due", abstract: "List the transitions due by a date, permits due for cancellation (waiting for an officer's determination), and applications past their issuance deadline.")
    @OptionGroup var options: RegistryOptions
    @Option(help: dateHelp("The date (default: today in the region's time zone).")) var on: CalendarDate?
    @Option(help: "How many to list.") var limit: Int = 50

    func run() throws {
        let registry = try options.open()
        let date = try options.date(on, policies: options.policies())
        let due = try registry.due(through: date, limit: limit)
        print("\(due.count) transition(s) due by \(date)" + (due.count > due.first.count ? " (first \(due.first.count)):" : ":"))
        for t in due.first { print("  permit \(t.permitId) (ID \(t.idNumber)): \(t.status) → \(t.to) on \(t.on)") }
        let determinations = try registry.dueForDetermination(limit: limit)
        print("\(determinations.count) permit(s) due for cancellation, waiting for an officer's determination (permit registry cancel --reason overdue):")
        for (permit, holder) in determinations.first {
            print("  permit \(permit.id!) (ID \(holder.idNumber), \(holder.name)): due since \(permit.statusOn), expired \(permit.expiryOn)")
        }
        let late = try registry.lateApplications(on: date, limit: limit)
        print("\(late.count) application(s) past their issuance deadline:")
        for a in late { print("  application \(a.id!) (\(a.kind.rawValue)) accepted \(a.acceptedOn), deadline \(a.deadlineOn)") }
    }
}
