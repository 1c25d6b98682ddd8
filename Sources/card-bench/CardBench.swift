import ArgumentParser
import CardBudget
import CardEmulator
import CardProfiles
import Foundation
import PCSCSandbox
import PermitApplet
import PermitCard
import SmartCard

/// `swift run -c release card-bench [RUNS] [--latency-ms MS]`: every card operation of CARD-SPEC §10
/// through the real stack (private pcscd, vpcd, the reference card running the permit application),
/// each row its own operation, timed on its own and checked: a run whose result is wrong, or whose APDUs
/// differ from the in-process budget (`APDUBudget`), stops the benchmark instead of being timed.
/// Prints the Markdown for docs/BENCHMARKS.md ("Card operations").
@main
struct CardBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card-bench", abstract: "APDUs, bytes and time of every card operation through pcscd and vpcd.")

    @Argument(help: "Timed runs per operation (the median is shown).")
    var runs = 20

    @Option(name: .long, help: ArgumentHelp("Delay the reference card adds before every answer, as a real chip takes time.", valueName: "MS"))
    var latencyMs = 0

    func validate() throws {
        guard runs > 0 else { throw ValidationError("RUNS must be at least 1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must be 0 or more") }
    }

    func run() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let library = try ProfileLibrary(directory: repository.appendingPathComponent("cardprofiles"))
        let authority = try ScenarioAuthority.generate()
        let scenarios = CardScenario.table(zhejiang: try library.load("zhejiang"), innerMongolia: try library.load("inner-mongolia"))
        let sandbox = PCSCSandbox.shared
        let loadBefore = Self.loadAverage()
        let rows: [Row]
        do {
            rows = try await sandbox.withSlot(holder: "card-bench") { slot in
                var rows: [Row] = []
                for scenario in scenarios { rows.append(try await measure(scenario, authority, in: slot)) }
                return rows
            }
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
        let info = ProcessInfo.processInfo
        print("Machine: \(info.operatingSystemVersionString), \(info.activeProcessorCount) cores, load average \(loadBefore) before and \(Self.loadAverage()) after; \(Date()).")
        print("Command: card-bench \(runs) --latency-ms \(latencyMs)\n")
        print(Row.header(runs: runs, latencyMs: latencyMs))
        rows.forEach { print($0.markdown(latencyMs: latencyMs)) }
    }

    /// The 1-minute load average, as the machine's busyness beside the figures.
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).flatMap { $0.split(separator: " ").first.map(String.init) } ?? "?"
    }

    /// Times `scenario` `runs` times on a card in `slot`, each run from the same start state.
    func measure(_ scenario: CardScenario, _ authority: ScenarioAuthority, in slot: SandboxSlot) async throws -> Row {
        let start = try await scenario.startState(authority)
        let budget = try await APDUBudget.measure(scenario, authority)
        let card = try PermitApplet.freshCard(profile: scenario.profile, serial: CardScenario.serial, masterKeys: authority.authority.masterKeys)
        try card.replaceState(start)
        let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
        link.setFaultPlan(FaultPlan(latency: .milliseconds(latencyMs)))
        let context = PCSCContext()
        link.start()
        do {
            let times = try await timedRuns(scenario, authority, budget: budget, start: start, card: card, reader: slot.readerName, context: context)
            try await link.stop()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false)
            await context.close()
            return Row(scenario: scenario, budget: budget, times: times.sorted())
        } catch {
            try? await link.stop()
            await context.close()
            throw error
        }
    }

    private func timedRuns(
        _ scenario: CardScenario, _ authority: ScenarioAuthority, budget: [APDUBudget.Step], start: CardState, card: EmulatedCard,
        reader: String, context: PCSCContext
    ) async throws -> [Double] {
        try await PCSCSandbox.shared.waitForReader(reader, in: context, hasCard: true)
        try await PCSCSandbox.shared.waitUntilAnswering(reader, in: context)
        var times: [Double] = []
        let clock = ContinuousClock()
        for run in 1...runs {
            try card.replaceState(start)
            let trace = APDUTrace()
            let connection = try await context.connect(reader, options: scenario.channelOptions, trace: trace)
            let began = clock.now
            try await scenario.act(on: connection, authority)
            let elapsed = clock.now - began
            await connection.disconnect()
            let checking = try await context.connect(reader, options: scenario.channelOptions)
            try await scenario.check(on: checking, authority)
            await checking.disconnect()
            let sent = try APDUBudget.steps(of: trace, profile: scenario.profile)
            guard sent == budget else {
                throw ValidationError("\(scenario.name), run \(run): through pcscd it sent \(sent), in process \(budget)")
            }
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return times
    }
}

/// One line of the table.
struct Row {
    let scenario: CardScenario
    let budget: [APDUBudget.Step]
    let times: [Double]

    static func header(runs: Int, latencyMs: Int) -> String {
        let extra = latencyMs > 0 ? " measured − APDUs × \(latencyMs) ms |" : ""
        return """
            | operation | APDUs (pcscd = in process) | minimum the design needs | target | bytes sent | bytes received | modelled at 20 ms/APDU | measured at \(latencyMs) ms/APDU, median of \(runs) (min–max) |\(extra)
            |---|---|---|---|---|---|---|---|\(latencyMs > 0 ? "---|" : "")
            """
    }

    func markdown(latencyMs: Int) -> String {
        let (apdus, sent, received) = budget.totals
        let median = times[times.count / 2]
        let target = APDUBudget.targets[scenario.operation].map { "≤ \($0)" } ?? ""
        let measured = "\(Self.ms(median)) (\(Self.ms(times[0]))–\(Self.ms(times[times.count - 1])))"
        let host = latencyMs > 0 ? " \(Self.ms(median - Double(apdus * latencyMs))) |" : ""
        return "| \(scenario.name) | \(apdus) | \(scenario.minimum) | \(target) | \(sent) | \(received) | \(apdus * APDUBudget.millisecondsPerAPDU) ms | \(measured) |\(host)"
    }

    static func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
}
