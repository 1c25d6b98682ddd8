import ArgumentParser
import PermitCard

/// `permit card unblock-pin`: the holder's PUK resets the holder PIN's retry counter, optionally with a new
/// PIN, at a desk or a kiosk. No station can unblock a PIN without the holder's PUK.
struct CardUnblockPINCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock-pin", abstract: "Unblock the holder PIN with the holder's PUK (reset its tries), optionally setting a new PIN.")

    @OptionGroup var options: CardOptions
    @Flag(help: "Read the holder's PUK from the first line of standard input and, if there is one, a new PIN from the second.")
    var pukStdin = false
    @Flag(help: "Act as a kiosk (the endorsing role) rather than an issuing desk.")
    var kiosk = false

    func run() async throws {
        guard pukStdin, let puk = Swift.readLine(strippingNewline: true), !puk.isEmpty else {
            throw CommandError("unblock-pin: the holder's PUK is needed on standard input (--puk-stdin, first line); nothing was written. It is on the holder's PIN letter.")
        }
        let line = Swift.readLine(strippingNewline: true)
        let pin = line?.isEmpty == false ? line : nil
        let tries = try await options.withCard(kiosk ? .kiosk : .issuing) { card in
            try await card.unblockPIN(puk: puk, newPIN: pin)
            return try await card.pinTriesLeft()
        }
        CardOutcome.print(
            ["triesLeft": tries.map(String.init) ?? "none"], json: options.json,
            text: "Holder PIN unblocked\(pin == nil ? "" : " with a new PIN"): \(tries.map(String.init) ?? "no") tries left.")
    }
}
