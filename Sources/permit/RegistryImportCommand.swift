import ArgumentParser
import Foundation
import Registry

struct RegistryImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import applications (and already issued permits) from a CSV file.",
        discussion: """
        Header (any order): \(ApplicationCSV.required.joined(separator: ",")) and optionally \(ApplicationCSV.optional.joined(separator: ",")).
        Bad rows are listed with their line and field; every other row is kept. Progress is shown on stderr.
        """)
    @OptionGroup var options: RegistryOptions
    @Option(help: "The card profile (region) of these applications.")
    var profile: String
    @Argument(help: "The CSV file (UTF-8).")
    var file: String

    func run() throws {
        let text = try InputFile.text(file, option: "import", hint: "Export the sheet as \"CSV UTF-8\".")
        let registry = try options.open()
        let bar = ProgressBar(label: "import", unit: "rows")
        let report = try Self.importing(text, file: file, into: registry, profile: profile, actor: options.actor, progress: bar)
        bar.finish()
        print("Imported \(report.applications) of \(report.rows) rows (\(report.permits) with an issued permit); \(report.rejected.count) rejected.")
        for row in report.rejected { print("  rejected \(row)") }
        if !report.rejected.isEmpty { throw ExitCode(2) }
    }

    /// The registry sees only the text; a sheet it cannot parse is named here by its file.
    private static func importing(
        _ text: String, file: String, into registry: Registry, profile: String, actor: String, progress bar: ProgressBar
    ) throws -> ImportReport {
        do {
            return try registry.importApplications(csv: text, profile: profile, actor: actor) { done, total in bar.show(done, of: total) }
        } catch {
            guard case .invalid(field: "file", _, let problem) = error else { throw error }
            throw CommandError("\(file), \(problem); nothing was imported.")
        }
    }
}

/// A one-line progress bar on stderr (stdout stays clean for the report).
final class ProgressBar {
    let label: String
    let unit: String
    private var last = -1

    init(label: String, unit: String) {
        self.label = label
        self.unit = unit
    }

    func show(_ done: Int, of total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != last else { return }
        last = percent
        let width = 30, filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total) \(unit) (\(percent)%)".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
