import ArgumentParser
import CardProfiles
import CardSecurity
import Foundation
import Lifecycle
import PermitCard
import SmartCard

/// The options every `permit card` command shares: where the card is, which product, whose keys,
/// which day, and how to answer.
struct CardOptions: ParsableArguments {
    @Option(help: "Reader name or a unique part of it. Default: the first reader holding a card.")
    var reader: String?
    @Option(help: "Card profile name (cardprofiles/NAME.json). Default: the profile whose ATR the card answers with.")
    var profile: String?
    @Option(help: "Directory of card profiles. Default: $PERMIT_PROFILES, else cardprofiles/ found upwards.")
    var profiles: String?
    @Option(help: "Authority directory written by `permit pki init` (certificates, station keys, master keys).")
    var pki: String
    @Option(help: "This station's 12-digit code (public-security organ), written into the records it signs.")
    var station = "330102000001"
    @Option(help: "Act as of this day, YYYY-MM-DD (noon in the profile's time zone). Default: now.")
    var on: String?
    @Option(help: "Signed status list to check cards against (from `permit pki status-list`).")
    var statusList: String?
    @Flag(help: "Answer in JSON.")
    var json = false

    func validate() throws {
        if let on { _ = try LifecycleArguments.date(on, option: "--on") }
        guard DigitCode.station(station) != nil else {
            throw ValidationError("--station: \"\(station)\" is not a 12-digit station code (for example 330102000001).")
        }
    }

    /// The moment the command acts at: the one clock reading of the command.
    func moment(profile: CardProfile) throws -> Date {
        guard let on else { return Date() }
        let day = try LifecycleArguments.date(on, option: "--on")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: profile.policy.timeZone) ?? .current
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12))!
    }

    /// Which keys and credentials the command acts with.
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case issuing, endorsing, kiosk, verifier
    }

    /// The terminal for `role`, from the authority directory.
    func terminal(_ role: Role) throws -> PermitTerminal {
        let directory = PKIDirectory(url: URL(fileURLWithPath: pki, isDirectory: true))
        let masterKeys = try directory.masterKeys()
        let trust = try directory.trustStore()
        let list = try statusList.map { path in
            try SignedStatusList(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        let code = DigitCode.station(station)!
        switch role {
        case .issuing:
            return .issuingStation(station: code, masterKeys: masterKeys, stationCredential: try directory.credential("issuing-station"),
                                   documentSigner: try directory.credential("document-signer"), trust: trust, statusList: list)
        case .endorsing, .kiosk:
            var terminal = PermitTerminal.endorsingStation(
                station: code, masterKeys: masterKeys, credential: try directory.credential(role == .kiosk ? "kiosk" : "endorsing-station"), trust: trust)
            terminal.statusList = list
            return terminal
        case .verifier:
            return .verifier(masterKeys: masterKeys, trust: trust, statusList: list, station: code)
        }
    }

    /// Runs `body` with the card in the chosen reader and its profile (by name, or by the ATR), and
    /// always disconnects afterwards, so libpcsclite is idle when the program exits.
    func withCard<T>(_ role: Role, reader chosen: String? = nil, _ body: (PermitCard) async throws -> T) async throws -> T {
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

    private func connect(_ role: Role, reader chosen: String?) async throws -> PermitCard {
        let context = PCSCContext()
        do {
            let card = try await connect(role, reader: chosen, context: context)
            await context.close()
            return card
        } catch {
            await context.close()
            throw error
        }
    }

    private func connect(_ role: Role, reader chosen: String?, context: PCSCContext) async throws -> PermitCard {
        let status = try await context.reader(matching: chosen ?? reader)
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let cardProfile: CardProfile
        if let profile {
            cardProfile = try library.load(profile)
        } else {
            let candidates = try library.names().compactMap { try? library.load($0) }
            guard let match = candidates.first(where: { $0.card.matchesATR(status.atr) }) else {
                throw PermitCardError.wrongProduct(atr: status.atr, profile: candidates.map(\.name).joined(separator: " or "))
            }
            cardProfile = match
        }
        let terminal = try terminal(role)
        let connection = try await context.connect(
            status.name, options: ChannelOptions(extendedLength: cardProfile.apdu.extendedLength))
        return PermitCard(connection: connection, profile: cardProfile, terminal: terminal)
    }
}

/// Reads the holder's PIN from standard input (first line), so it never shows in a process list.
enum PINInput {
    static func read(enabled: Bool) throws -> String? {
        guard enabled else { return nil }
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("--pin-stdin: no PIN on standard input; type it (or pipe it) as one line of digits.")
        }
        return line
    }
}
