import ArgumentParser
import KeyCustody
import PermitCard

/// `permit card read`: everything on the card, with each check's verdict. Exits 0 whatever the verdict.
struct CardReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "read", abstract: "Read all data on a card and show each check's verdict.")

    @OptionGroup var options: CardOptions
    @Option(help: "Read as: verifier (reading key), issuing or endorsing station.")
    var role: StationPlace = .verifier

    func run() async throws {
        let output = try await options.withCard(role) { card in
            let (reading, report) = try await card.verify()
            return CardReport(profile: card.profile, reading: reading, report: report)
        }
        print(options.json ? output.json : output.text)
    }
}

/// `permit card verify`: as `read`, but exits 1 unless every check passed (for scripts and gates).
struct CardVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a card offline (authority, stations, chip, status, dates); exit 1 unless valid.")

    @OptionGroup var options: CardOptions

    func run() async throws {
        let output = try await options.withCard(.verifier) { card in
            let (reading, report) = try await card.verify()
            return CardReport(profile: card.profile, reading: reading, report: report)
        }
        print(options.json ? output.json : output.text)
        guard output.report.passed else { throw ExitCode(1) }
    }
}
