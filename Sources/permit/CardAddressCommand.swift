import ArgumentParser
import PermitCard
import PermitVocabulary

/// `permit card address`: writes a new residence address, re-signed by this issuing station.
struct CardAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address", abstract: "Change the residence address on the card.")

    @OptionGroup var options: CardOptions
    @Option(help: "The new address (UTF-8, at most 128 bytes).")
    var address: String
    @Option(help: "6-digit district code (GB/T 2260) of the new address.")
    var district: String
    @Option(help: dateHelp("Registered at the new address since."))
    var since: CalendarDate

    func validate() throws {
        guard DigitCode.district(district) != nil else {
            throw ValidationError("--district: \"\(district)\" is not a 6-digit district code (GB/T 2260, for example 330106).")
        }
    }

    func run() async throws {
        let newAddress = ResidenceAddress(district: DigitCode.district(district)!, text: address, since: since)
        let record = try await options.withCard(.issuing) { card in
            try await card.changeAddress(to: newAddress)
        }
        CardOutcome.print(
            ["sequence": String(record.sequence), "address": record.address, "district": record.district.digits],
            json: options.json, text: "Residence address changed (record \(record.sequence)): \(record.address).")
    }
}
