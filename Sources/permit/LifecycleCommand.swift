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
        Reason codes for --cancelled: \(CancellationReason.officerReasons.map(\.rawValue).joined(separator: ", ")).
        The rules are described in docs/RULES.md.
        """)

    @Option(help: "Card profile name in cardprofiles/ (zhejiang, inner-mongolia).")
    var profile: String
    @Option(help: "Profiles directory (default: $PERMIT_PROFILES, else cardprofiles/ found upwards from here).")
    var profiles: String?
    @Option(help: "Issue date, YYYY-MM-DD.")
    var issued: String
    @Option(help: "An endorsement date, YYYY-MM-DD (repeatable).")
    var endorsed: [String] = []
    @Option(help: "Officer cancellation, YYYY-MM-DD:REASON.")
    var cancelled: String?
    @Option(help: "The date to evaluate, YYYY-MM-DD.")
    var on: String
    @Flag(help: "Print one JSON object instead of sentences.")
    var json = false

    func run() throws {
        let issue = try LifecycleArguments.date(issued, option: "--issued")
        let date = try LifecycleArguments.date(on, option: "--on")
        var events = try endorsed.map { PermitEvent.endorsed(try LifecycleArguments.date($0, option: "--endorsed")) }
        if let cancelled {
            let (day, reason) = try LifecycleArguments.cancellation(cancelled, option: "--cancelled")
            events.append(.cancelled(day, reason))
        }
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let policy = try library.load(profile).policy
        let evaluation = try Lifecycle.evaluate(PermitHistory(issued: issue, events: events), policy: policy, on: date)
        print(json ? LifecycleReport.json(evaluation) : LifecycleReport.sentences(evaluation, profile: profile))
    }
}
