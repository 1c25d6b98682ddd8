import ArgumentParser
import PermitCard

/// `permit card rotate-keys`: an issuing station loads the profile's current version of every role key the
/// card holds in an earlier one, and prints each change for the station's log.
struct CardRotateKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys", abstract: "Bring the card's role keys to the profile's current key versions (issuing station).")

    @OptionGroup var options: CardOptions

    func run() async throws {
        let rotations = try await options.withCard(.issuing) { card in try await card.rotateKeys() }
        CardOutcome.print(
            Dictionary(uniqueKeysWithValues: rotations.map { ("key\($0.keyNumber)", "\($0.role) \($0.fromVersion) -> \($0.toVersion)") }),
            json: options.json,
            text: rotations.isEmpty ? "The card's keys are already at the profile's versions; nothing was written."
                : rotations.map { "Rotated \($0)." }.joined(separator: "\n"))
    }
}
