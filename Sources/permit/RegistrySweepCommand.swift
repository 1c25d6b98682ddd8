import ArgumentParser
import PermitVocabulary
import Registry

struct RegistrySweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sweep", abstract: "Apply every transition due by a date (windows opening, suspensions, permits becoming due for cancellation, points lapses). Never cancels; safe to repeat.")
    @OptionGroup var options: RegistryOptions
    @Option(help: dateHelp("The date (default: today in the region's time zone).")) var on: CalendarDate?
    @Option(help: "Permits per transaction.") var batchSize: Int = 2000

    func run() throws {
        let registry = try options.open()
        let date = try options.date(on, policies: options.policies())
        let bar = ProgressBar(label: "sweep", unit: "permits")
        let pending = try registry.due(through: date, limit: 0).count
        let s = try registry.sweep(through: date, batchSize: batchSize) { total in bar.show(total.permits, of: pending) }
        if s.batches > 0 { bar.finish() }
        print("Swept through \(date): \(s.transitions) status change(s) on \(s.permits) permit(s) — \(s.windowsOpened) window(s) opened, \(s.suspensions) suspended, \(s.cancellationsDue) due for cancellation, \(s.pointsLapses) points lapse(s).")
    }
}
