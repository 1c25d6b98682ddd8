import ArgumentParser
import PermitCard

/// `permit card address`: writes a new residence address, re-signed by this issuing station.
struct CardAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address", abstract: "Change the residence address on the card.")

    @OptionGroup var options: CardOptions
    @Option(help: "The new address (UTF-8, at most 128 bytes).")
    var address: String
    @Option(help: "6-digit district code (GB/T 2260) of the new address.")
    var district: String
    @Option(help: "Registered at the new address since, YYYY-MM-DD.")
    var since: String

    func validate() throws {
        guard DigitCode.district(district) != nil else {
            throw ValidationError("--district: \"\(district)\" is not a 6-digit district code (GB/T 2260, for example 330106).")
        }
        _ = try LifecycleArguments.date(since, option: "--since")
    }

    func run() async throws {
        let code = DigitCode.district(district)!
        let newAddress = ResidenceAddress(district: code, text: address, since: try LifecycleArguments.date(since, option: "--since"))
        let record = try await options.withCard(.issuing) { card in
            try await card.changeAddress(to: newAddress, at: try options.moment(profile: card.profile))
        }
        CardOutcome.print(
            ["sequence": String(record.sequence), "address": record.address, "district": record.district.digits],
            json: options.json, text: "Residence address changed (record \(record.sequence)): \(record.address).")
    }
}
