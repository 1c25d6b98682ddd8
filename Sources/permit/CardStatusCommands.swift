import ArgumentParser
import Lifecycle
import PermitCard

/// Prints the status record a command wrote.
private func report(_ record: StatusRecord, json: Bool) {
    CardOutcome.print(
        ["sequence": String(record.sequence), "status": record.change.status.description, "reason": record.change.summary,
         "effective": record.effective.description],
        json: json, text: "Status \(record.sequence): \(record.change.summary), effective \(record.effective).")
}

/// `permit card suspend`.
struct CardSuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Suspend the permit (an officer's order, or overdue).")

    @OptionGroup var options: CardOptions
    @Flag(help: "Record the suspension as overdue (not endorsed by the expiry date) instead of an officer's order.")
    var overdue = false

    func run() async throws {
        let record = try await options.withCard(.issuing) { card in
            try await card.suspend(overdue: overdue)
        }
        report(record, json: options.json)
    }
}

/// `permit card restore`.
struct CardRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Restore a suspended permit.")

    @OptionGroup var options: CardOptions

    func run() async throws {
        let record = try await options.withCard(.issuing) { card in
            try await card.restore()
        }
        report(record, json: options.json)
    }
}

/// `permit card cancel --reason CODE`.
struct CardCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel the permit with a reason code; final.")

    @OptionGroup var options: CardOptions
    @Option(help: "falseDocuments, lossOfEligibility, localHukou, otherLegalGround, or overdue (once the registry lists the permit as due for cancellation).")
    var reason: String

    func validate() throws {
        _ = try LifecycleArguments.reason(reason, option: "--reason")
    }

    func run() async throws {
        let code = try LifecycleArguments.reason(reason, option: "--reason")
        let record = try await options.withCard(.issuing) { card in
            try await card.cancel(reason: code)
        }
        report(record, json: options.json)
    }
}

/// `permit card replace --old-reader R --reader R2 --reason lost|damaged|renewed`.
struct CardReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace", abstract: "Issue the blank card in --reader for the permit on the card in --old-reader, then void the old card.")

    @OptionGroup var options: CardOptions
    @OptionGroup var deployment: StationRoleOptions
    @Option(help: "Reader holding the old card.")
    var oldReader: String
    @Option(help: "Why the card is replaced.")
    var reason: ReplacementReason
    @Flag(help: "Read the holder's PIN for the new card from standard input.")
    var pinStdin = false

    func run() async throws {
        try deployment.requirePersonalisation(named: options.profile, profiles: options.profiles, operation: "personalise a replacement card")
        let pin = try PINInput.read(enabled: pinStdin)
        let (issued, voided) = try await options.withCard(.issuing, reader: oldReader) { old in
            try await options.withCard(.issuing) { new in
                try deployment.requirePersonalisation(new.profile, operation: "personalise a replacement card")
                return try await new.replace(from: old, reason: reason, pin: pin)
            }
        }
        CardOutcome.print(
            ["serial": issued.serial.description, "replaces": voided.change.summary],
            json: options.json, text: "Issued card \(issued.serial) for the permit; the old card is now \(voided.change.summary).")
    }
}
