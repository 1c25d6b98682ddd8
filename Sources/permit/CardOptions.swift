import ArgumentParser
import CardProfiles
import CardSecurity
import Foundation
import KeyCustody
import Lifecycle
import PermitCard
import SmartCard

/// The options every `permit card` command shares: where the card is, which product, whose keys,
/// which clock, and how to answer.
struct CardOptions: ParsableArguments {
    @Option(help: "Reader name or a unique part of it. Default: the first reader holding a card.")
    var reader: String?
    @Option(help: "Card profile name (cardprofiles/NAME.json). Default: the profile whose ATR the card answers with.")
    var profile: String?
    @Option(help: "Directory of card profiles. Default: $PERMIT_PROFILES, else cardprofiles/ found upwards.")
    var profiles: String?
    @Option(help: "Authority directory written by `permit pki init` (certificates, trust bundle, each place's key configuration).")
    var pki: String
    @Option(help: ArgumentHelp("This station's key configuration (JSON naming its PKCS#11 module, token and PIN file). Default: <place>.token.json in --pki.", valueName: "FILE"))
    var keys: String?
    @Flag(help: "Use the development key files in --pki instead of a token (never on a station).")
    var keysInFiles = false
    @Option(help: "This station's 12-digit code (public-security organ), written into the records it signs.")
    var station = "330102000001"
    @OptionGroup var clockOption: TestClockOption
    @Option(help: "Signed status list to check cards against (from `permit pki status-list`).")
    var statusList: String?
    @Flag(help: "Answer in JSON.")
    var json = false

    func validate() throws {
        guard DigitCode.station(station) != nil else {
            throw ValidationError("--station: \"\(station)\" is not a 12-digit station code (for example 330102000001).")
        }
    }

    /// What the command acts with, read before any reader is touched: the keys of `place` (its token, or
    /// the development files), the trust bundle and the status list.
    struct Station {
        let keys: StationKeys
        let trust: TrustStore
        let statusList: SignedStatusList?
    }

    func station(_ place: StationPlace) throws -> Station {
        let directory = PKIDirectory(url: URL(fileURLWithPath: pki, isDirectory: true))
        if keysInFiles {
            Warning.print("the keys are read from files in \(pki) (--keys-in-files): for development only; a station keeps them in a PKCS#11 token.")
        }
        return Station(
            keys: try directory.stationKeys(place, keys: keys, inFiles: keysInFiles), trust: try directory.trustStore(),
            statusList: try statusList.map(StatusListFile.read))
    }

    /// The terminal of `station` for a card of `profile`.
    /// The national suite's keys cannot be in a token (docs/CARD-SECURITY.md §16.5): refused there, and
    /// with development files a warning.
    private func checkSuite(of profile: CardProfile) throws {
        guard profile.suite == .national else { return }
        guard keysInFiles else { throw KeyCustodyError.suiteNotInToken(.national) }
        Warning.print("the national suite's keys are read from files: no PKCS#11 token offers SM2, SM3 or SM4 (docs/CARD-SECURITY.md §16).")
    }

    /// The terminal of `station`, carrying its status list unless that is older than one this station has
    /// already seen (`status-list-seen` in --pki), which is then raised to the list's sequence.
    func terminal(_ station: Station, profile: CardProfile) throws -> PermitTerminal {
        var terminal = try bareTerminal(station, profile: profile)
        if let list = station.statusList {
            try terminal.load(statusList: list, seen: StatusListSeen.read(in: pki))
            StatusListSeen.record(list.content.sequence, in: pki)
        }
        return terminal
    }

    private func bareTerminal(_ station: Station, profile: CardProfile) throws -> PermitTerminal {
        let (keys, trust, list) = (station.keys, station.trust, SignedStatusList?.none)
        let code = DigitCode.station(self.station)!
        switch keys.place {
        case .issuing:
            return .issuingStation(
                station: code, masterKeys: keys.masterKeys, stationCredential: try keys.credential(.issuingStation),
                documentSigner: try keys.credential(.documentSigner), trust: trust, statusList: list)
        case .endorsing, .kiosk:
            return PermitTerminal(
                station: code, masterKeys: keys.masterKeys, roles: [.endorsingStation],
                recordSigner: try keys.credential(keys.place == .kiosk ? .kiosk : .endorsingStation), documentSigner: nil, trust: trust,
                statusList: list)
        case .verifier, .authority:
            return .verifier(masterKeys: keys.masterKeys, trust: trust, statusList: list, station: code)
        }
    }

    /// Runs `body` with the card in the chosen reader and its profile (by name, or by the ATR), and
    /// always disconnects afterwards, so libpcsclite is idle when the program exits.
    func withCard<T>(_ role: StationPlace, reader chosen: String? = nil, _ body: (PermitCard) async throws -> T) async throws -> T {
        let card = try await connect(role, reader: chosen)
        do {
            let result = try await body(card)
            await card.connection.disconnect()
            return result
        } catch {
            await card.connection.disconnect()
            throw error
        }
    }

    private func connect(_ role: StationPlace, reader chosen: String?) async throws -> PermitCard {
        // The clock is settled before any key or card is touched: a refused test clock reads and writes nothing.
        let clock = try clockOption.clock { try PKIDirectory(url: URL(fileURLWithPath: pki, isDirectory: true)).trustStore() }
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        // A profile named on the command line is loaded, and its suite checked, before any key or reader is touched.
        let named = try profile.map { name in
            let loaded = try library.load(name)
            try checkSuite(of: loaded)
            return loaded
        }
        let station = try station(role)
        let context = PCSCContext()
        do {
            let card = try await connect(station, library: library, profile: named, reader: chosen, context: context, clock: clock)
            await context.close()
            return card
        } catch {
            await context.close()
            throw error
        }
    }

    private func connect(
        _ station: Station, library: ProfileLibrary, profile named: CardProfile?, reader chosen: String?, context: PCSCContext, clock: StationClock
    ) async throws -> PermitCard {
        let status = try await context.reader(matching: chosen ?? reader)
        let cardProfile: CardProfile
        if let named {
            cardProfile = named
        } else {
            let candidates = try library.names().compactMap { try? library.load($0) }
            guard let match = candidates.first(where: { $0.card.matchesATR(status.atr) }) else {
                throw PermitCardError.wrongProduct(atr: status.atr, profile: candidates.map(\.name).joined(separator: " or "))
            }
            cardProfile = match
            try checkSuite(of: match)
        }
        let terminal = try terminal(station, profile: cardProfile)
        let connection = try await context.connect(
            status.name, options: ChannelOptions(extendedLength: cardProfile.apdu.extendedLength))
        return PermitCard(connection: connection, profile: cardProfile, terminal: terminal, clock: clock)
    }
}

/// Reads the holder's PIN from standard input (first line), so it never shows in a process list.
enum PINInput {
    static func read(enabled: Bool) throws -> String? {
        guard enabled else { return nil }
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw CommandError("--pin-stdin: no PIN on standard input; nothing was written. Type it (or pipe it) as one line of digits.")
        }
        return line
    }
}

extension StationPlace: ExpressibleByArgument {}

/// One line on standard error that starts with "warning:", for what works but should not be so.
enum Warning {
    static func print(_ sentence: String) {
        FileHandle.standardError.write(Data("warning: \(sentence)\n".utf8))
    }
}
