import ArgumentParser
import Foundation
import StationAPIModel
import StationClient

/// `permit station`: the station daemon, through its local API.
struct StationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station", abstract: "Ask the station daemon (permitd) how it is.", subcommands: [StationStatusCommand.self])
}

struct StationStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "The daemon's state: readers, cards, the daily sweep, the audit log.")
    @OptionGroup var daemon: DaemonOptions
    @Flag(help: "Print JSON (the API's StationStatus).") var json = false

    func run() async throws {
        let status: Components.Schemas.StationStatus
        switch try await daemon.call({ try await $0.getStatus() }) {
        case .ok(let ok): status = try ok.body.json
        case .default(let code, let problem): throw DaemonRefusal(status: code, problem: problem)
        }
        if json { return try printJSON(status) }
        print("Station \(status.station), permitd \(status.version), running since \(status.startedAt); today \(status.today) (\(status.timeZone))")
        print("Readers: \(status.readers) (\(status.cardsPresent) with a card); pcscd \(status.readerService.rawValue)")
        print("Registry: \(status.registry.path) (schema \(status.registry.schema.joined(separator: ", ")))")
        let sweep = status.sweep
        let last = sweep.last.map { "last through \($0.through), \($0.outcome.rawValue), \($0.transitions) change(s)" } ?? "never run"
        print("Sweep: daily at \(sweep.at), next \(sweep.nextAt)\(sweep.running ? ", RUNNING now" : ""); \(last)")
        print("Audit log: \(status.audit.entries) entries" + (status.audit.head.map { "; head \($0)" } ?? ""))
    }
}

/// `permit due`: the registry's due list, through the daemon.
struct DueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: "Transitions due by a day and applications past their deadline, from the station daemon.")
    @OptionGroup var daemon: DaemonOptions
    @Option(help: "Day, YYYY-MM-DD (default: the station's today).") var on: String?
    @Option(help: "How many to list (1 to 1000).") var limit: Int = 50
    @Flag(help: "Print JSON (the API's DueList).") var json = false

    func run() async throws {
        let list: Components.Schemas.DueList
        switch try await daemon.call({ try await $0.listDue(query: .init(on: on, limit: limit)) }) {
        case .ok(let ok): list = try ok.body.json
        case .default(let code, let problem): throw DaemonRefusal(status: code, problem: problem)
        }
        if json { return try printJSON(list) }
        print("\(list.count) transition(s) due by \(list.on)" + (list.count > list.transitions.count ? " (first \(list.transitions.count)):" : ":"))
        for t in list.transitions { print("  permit \(t.permit) (ID \(t.idNumber)): \(t.status.rawValue) → \(t.to.rawValue) on \(t.on)") }
        print("\(list.lateApplications.count) application(s) past their issuance deadline:")
        for a in list.lateApplications { print("  application \(a.application) accepted \(a.acceptedOn), deadline \(a.deadline)") }
    }
}
