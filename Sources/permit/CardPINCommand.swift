import ArgumentParser
import PermitCard

/// `permit card unblock-pin`: an issuing station resets the holder PIN's retry counter, optionally with a new PIN.
struct CardUnblockPINCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock-pin", abstract: "Unblock the holder PIN (reset its tries), optionally setting a new PIN.")

    @OptionGroup var options: CardOptions
    @Flag(help: "Read a new PIN from standard input; without it only the counter is reset.")
    var pinStdin = false

    func run() async throws {
        let pin = try PINInput.read(enabled: pinStdin)
        let tries = try await options.withCard(.issuing) { card in
            try await card.unblockPIN(newPIN: pin)
            return try await card.pinTriesLeft()
        }
        CardOutcome.print(
            ["triesLeft": tries.map(String.init) ?? "none"], json: options.json,
            text: "Holder PIN unblocked\(pin == nil ? "" : " with a new PIN"): \(tries.map(String.init) ?? "no") tries left.")
    }
}
