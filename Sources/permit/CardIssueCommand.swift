import ArgumentParser
import Foundation
import PermitCard

/// `permit card issue`: personalises and finalises a blank card, or completes an interrupted one.
struct CardIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a permit card from an application file; resumes a card whose issuance was interrupted.",
        discussion: "The application file is JSON: {\"holder\": {...}, \"address\": {...}, \"issued\": \"YYYY-MM-DD\"} (README.md, \"Card operations\").")

    @OptionGroup var options: CardOptions
    @OptionGroup var deployment: StationRoleOptions
    @Option(help: "The application: holder, residence address and issue date (JSON).")
    var application: String
    @Flag(help: "Read the holder's chosen PIN from standard input.")
    var pinStdin = false
    @Option(help: "Only issue on (or resume) the card with this 16-hex-digit serial.")
    var serial: String?

    func validate() throws {
        if let serial, (try? CardSerial(hex: serial)) == nil {
            throw ValidationError("--serial: \"\(serial)\" is not a card serial; write its 16 hexadecimal digits, for example 5A4A000000000001.")
        }
    }

    func run() async throws {
        try deployment.requirePersonalisation(named: options.profile, profiles: options.profiles, operation: "issue a card")
        var request = try InputFile.json(
            IssueRequest.self, application, option: "--application",
            hint: "Write the application as in README.md (\"Card operations\"): holder, address and issued.")
        request.pin = try PINInput.read(enabled: pinStdin) ?? request.pin
        if let serial { request.cardSerial = try CardSerial(hex: serial) }
        let (result, profile) = try await options.withCard(.issuing) { card in
            try deployment.requirePersonalisation(card.profile, operation: "issue a card")
            return (try await card.issue(request), card.profile.name)
        }
        CardOutcome.print(
            ["serial": result.serial.description, "resumed": String(result.resumed), "profile": profile, "puk": result.puk].compactMapValues { $0 },
            json: options.json,
            text: "Issued card \(result.serial) (\(profile))\(result.resumed ? ", completing an interrupted issuance" : ""); finalised and self-checked."
                + (result.puk.map { "\nThe holder's PUK (for the PIN letter; it unblocks the PIN and is not kept here): \($0)" } ?? ""))
    }
}

import CardSecurity
