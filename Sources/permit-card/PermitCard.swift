import ArgumentParser
import CardEmulator
import Foundation

/// `permit-card`: the reference card, plugged into vpcd as a card in a virtual reader.
@main
struct PermitCardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permit-card",
        abstract: "The PermitStation reference card: an ISO/IEC 7816-4 card that plugs into pcscd's vpcd reader.",
        discussion: """
            Connecting to vpcd inserts the card; stopping removes it. SIGINT/SIGTERM stop cleanly, \
            SIGUSR1 removes the card and SIGUSR2 puts it back. Fault flags count command APDUs from start. \
            See docs/EMULATOR.md.
            """)

    @Option(name: .long, help: ArgumentHelp("vpcd address (the reader slot's port; default localhost:35963).", valueName: "HOST:PORT"),
            transform: Endpoint.parse)
    var vpcd: Endpoint?

    @Option(name: .long, help: ArgumentHelp("State file: loaded if present, created with the demo card if not, saved after every write. Without it the card lives in memory.", valueName: "FILE"))
    var state: String?

    @Option(name: .long, help: ArgumentHelp("Answer-to-Reset to present (replaces the one in the state file).", valueName: "HEX"),
            transform: ArgumentParsing.atr)
    var atr: ATR?

    @OptionGroup(title: "Residence-permit application")
    var permit: PermitApplicationOptions

    @Option(name: .long, help: ArgumentHelp("Give up when vpcd cannot be reached for this long (0: never give up).", valueName: "SECONDS"))
    var retryFor: Double = 30

    @Option(name: .long, help: ArgumentHelp("Pull the card when APDU N arrives, without executing it.", valueName: "N"))
    var removeBefore: Int?

    @Option(name: .long, help: ArgumentHelp("Execute APDU N (keeping its effects), then pull the card before answering.", valueName: "N"))
    var removeAfter: Int?

    @Option(name: .long, help: ArgumentHelp("Put the card back this long after a fault removal (default: only on SIGUSR2).", valueName: "MS"))
    var reinsertAfterMs: Int?

    @Option(name: .long, help: ArgumentHelp("Delay before every answer.", valueName: "MS"))
    var latencyMs: Int?

    @Option(name: .long, help: ArgumentHelp("Answer this status word instead of executing commands.", valueName: "HEX"),
            transform: ArgumentParsing.statusWord)
    var answerSw: StatusWord?

    @Option(name: .long, help: ArgumentHelp("With --answer-sw: only at APDU N (once) instead of every APDU.", valueName: "N"))
    var at: Int?

    func validate() throws {
        if removeBefore != nil && removeAfter != nil { throw ValidationError("--remove-before and --remove-after cannot be combined") }
        for (name, value) in [("--remove-before", removeBefore), ("--remove-after", removeAfter), ("--at", at)] {
            if let value, value < 1 { throw ValidationError("\(name) counts APDUs from 1; \(value) is not a valid APDU number") }
        }
        if let ms = reinsertAfterMs {
            guard ms >= 0 else { throw ValidationError("--reinsert-after-ms must be 0 or more") }
            guard removeBefore != nil || removeAfter != nil else {
                throw ValidationError("--reinsert-after-ms needs --remove-before or --remove-after")
            }
        }
        if let ms = latencyMs, ms < 0 { throw ValidationError("--latency-ms must be 0 or more") }
        if at != nil && answerSw == nil { throw ValidationError("--at needs --answer-sw") }
        if retryFor < 0 { throw ValidationError("--retry-for must be 0 or more seconds") }
    }

    var faultPlan: FaultPlan {
        FaultPlan(
            removal: removeBefore.map { .beforeAPDU($0) } ?? removeAfter.map { .afterAPDU($0) },
            reinsertAfter: reinsertAfterMs.map { .milliseconds($0) },
            latency: .milliseconds(latencyMs ?? 0),
            forcedStatus: answerSw,
            forcedStatusAt: at)
    }

    func run() async throws {
        let (card, summary) = try makeCard()
        let vpcd = self.vpcd ?? Endpoint(host: "localhost", port: 35963)
        let link = VPCDLink(
            card: card,
            configuration: .init(host: vpcd.host, port: vpcd.port, retryLimit: retryFor == 0 ? nil : .milliseconds(Int(retryFor * 1000))),
            log: { Log.line($0) })
        link.setFaultPlan(faultPlan)
        Log.line("card \(card.atr) (\(state.map { "state in \($0)" } ?? "state in memory")\(summary.map { "; \($0)" } ?? ""))")
        let signals = SignalWatcher()
        signals.onRemove = { link.remove() }
        signals.onInsert = { link.insert() }
        link.start()
        while !signals.stopRequested {
            if case .failed(let why) = link.state { throw ExitCode.failure.withMessage(why) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        try await link.stop()
    }

    private func makeCard() throws -> (EmulatedCard, String?) {
        let card: EmulatedCard
        let summary: String?
        if let permitCard = try permit.makeCard(statePath: state) {
            (card, summary) = permitCard
        } else if let path = state {
            card = try EmulatedCard(store: CardStateStore(path: path), initial: CardState.demo())
            summary = nil
        } else {
            card = EmulatedCard(state: .demo())
            summary = nil
        }
        if let atr, atr != card.atr {
            var newState = card.state
            newState.atr = atr
            try card.replaceState(newState)
        }
        return (card, summary)
    }
}

extension ExitCode {
    fileprivate func withMessage(_ message: String) -> ExitCode {
        Log.line("error: \(message)")
        return self
    }
}

/// One line per event on standard error.
enum Log {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data("permit-card: \(text)\n".utf8))
    }
}
