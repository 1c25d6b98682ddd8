import ArgumentParser
import CardProfiles
import Foundation
import Lifecycle

/// `permit lifecycle`: evaluates the region rules for one permit history, without a registry.
struct LifecycleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifecycle",
        abstract: "Evaluate a permit's status, expiry, window and endorsements under a region's rules.",
        discussion: """
        Reason codes for --cancelled: \(CancellationReason.allCases.map(\.rawValue).joined(separator: ", ")) (overdue only once the permit is due for cancellation).
        The rules are described in docs/RULES.md.
        """)

    @Option(help: "Card profile name in cardprofiles/ (zhejiang, inner-mongolia).")
    var profile: String
    @Option(help: "Profiles directory (default: $PERMIT_PROFILES, else cardprofiles/ found upwards from here).")
    var profiles: String?
    @Option(help: dateHelp("Issue date."))
    var issued: CalendarDate
    @Option(help: dateHelp("An endorsement date (repeatable)."))
    var endorsed: [CalendarDate] = []
    @Option(help: "An officer's determination to cancel, YYYY-MM-DD:REASON.")
    var cancelled: String?
    @Option(help: dateHelp("The date to evaluate."))
    var on: CalendarDate
    @Flag(help: "Print one JSON object instead of sentences.")
    var json = false

    func run() throws {
        var events = endorsed.map(PermitEvent.endorsed)
        if let cancelled {
            let (day, reason) = try LifecycleArguments.cancellation(cancelled, option: "--cancelled")
            events.append(.cancelled(day, reason))
        }
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let policy = try library.load(profile).policy
        let evaluation = try Lifecycle.evaluate(PermitHistory(issued: issued, events: events), policy: policy, on: on)
        print(json ? LifecycleReport.json(evaluation) : LifecycleReport.sentences(evaluation, profile: profile))
    }
}
