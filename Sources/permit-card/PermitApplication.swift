import ArgumentParser
import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import KeyCustody
import PermitApplet

/// `--profile NAME` and its companions: run the residence-permit application of a card profile instead
/// of the demo card (module PermitApplet, docs/PERMIT-APPLET.md).
struct PermitApplicationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Run a residence-permit card of this card profile (e.g. zhejiang) instead of the demo card.", valueName: "NAME"))
    var profile: String?

    @Option(name: .long, help: ArgumentHelp("Directory of card profiles (default: $PERMIT_PROFILES, then the nearest cardprofiles/).", valueName: "DIR"))
    var profiles: String?

    @Option(name: .long, help: ArgumentHelp("The card bureau's key configuration: a token holding the issuing master key (issuing.token.json of `permit pki init --token`); a blank card gets its issuing key diversified inside it.", valueName: "FILE"))
    var keys: String?

    @Option(name: .long, help: ArgumentHelp("Development only: the master keys in a file (master-keys.json of `permit pki init --keys-in-files`) instead of --keys.", valueName: "FILE"))
    var masterKeys: String?

    @Option(name: .long, help: ArgumentHelp("Serial of a blank card, 16 hex digits (default: random). Ignored when the state file exists.", valueName: "HEX"))
    var serial: String?

    func validate() throws {
        guard profile != nil else {
            if profiles != nil || keys != nil || masterKeys != nil || serial != nil {
                throw ValidationError("--profiles, --keys, --master-keys and --serial need --profile")
            }
            return
        }
        guard (keys == nil) != (masterKeys == nil) else {
            throw ValidationError("--profile needs the issuing master key: --keys FILE (issuing.token.json of `permit pki init --token`) or, for development, --master-keys FILE")
        }
        if let serial, (try? CardSerial(hex: serial)) == nil {
            throw ValidationError("--serial must be 16 hex digits (8 bytes), not '\(serial)'")
        }
    }

    /// The permit card, or nil when no profile was asked for. With `statePath` the card lives in that
    /// file: loaded if present, else initialised blank and saved.
    func makeCard(statePath: String?) throws -> (card: EmulatedCard, summary: String)? {
        guard let name = profile else { return nil }
        let cardProfile = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) }).load(name)
        let keys: any MasterKeyStore = if let masterKeys {
            try Self.loadMasterKeys(masterKeys)
        } else {
            try StationToken.open(try TokenConfiguration.load(from: URL(fileURLWithPath: self.keys!)))
        }
        let serial = try serial.map { try CardSerial(hex: $0) } ?? CardSerial(bytes: RandomSource.system.bytes(CardSerial.length))
        let card = if let statePath {
            try PermitApplet.card(profile: cardProfile, store: CardStateStore(path: statePath), serial: serial, masterKeys: keys)
        } else {
            try PermitApplet.freshCard(profile: cardProfile, serial: serial, masterKeys: keys)
        }
        let applet = try PermitApplet(profile: cardProfile)
        let state = card.state
        let onCard = applet.serial(of: state).map(\.description) ?? "?"
        let phase = applet.lifeCycle(of: state).map(\.description) ?? "?"
        return (card, "permit application \(name), serial \(onCard), \(phase)")
    }

    private static func loadMasterKeys(_ path: String) throws -> MasterKeySet {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CardProgramError("Cannot read the master keys \(path): it is missing or not readable.")
        }
        do {
            return try JSONDecoder().decode(MasterKeySet.self, from: data)
        } catch {
            throw CardProgramError("\(path) is not a master-keys file of `permit pki init --keys-in-files`; write one with `permit pki init --out DIR --keys-in-files`.")
        }
    }
}

/// A failure once the card program runs (not its command line): one sentence, exit status 1, no usage.
struct CardProgramError: Error, CustomStringConvertible {
    let description: String

    init(_ sentence: String) {
        description = sentence
    }
}
