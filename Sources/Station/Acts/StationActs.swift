import CardProfiles
import CardSecurity
import Foundation
import Lifecycle
import PermitCard
import Registry

/// The station's acts on permits and their cards (docs/STATION.md, "Card acts"): accept an application,
/// issue, endorse, change the address, suspend, restore, cancel, replace, verify, and reconcile a presented
/// card. Each is one typed `async` function over a `PermitCard` (the card in a reader), the registry behind
/// its actor, the region's rules (module Lifecycle) and the card's profile; no HTTP, no PC/SC.
///
/// Every card write goes through the intent journal (`write`): checked against the registry first (a refusal
/// writes nothing anywhere), an intent row before the first APDU, the card read back after, and the act
/// recorded in the registry in the one transaction that settles the intent. The cards are bound to the
/// serial read before the write, so a card swapped meanwhile is never written.
///
/// One clock, injected: the cards sign by it and the registry dates by it, through the profile's calendar.
public struct StationActs: Sendable {
    public let registry: RegistryStore
    /// The loaded card profiles, by name.
    public let profiles: [String: CardProfile]
    public let clock: StationClock
    /// This station's 12-digit code (written into EF.HOLDER as the authority's station).
    public let station: DigitCode
    /// The issuing authority's name (签发机关), written into EF.HOLDER at issuance.
    public let authority: String
    /// Whether this station personalises cards where the region has a central office do it.
    public let centralOffice: Bool

    public init(registry: RegistryStore, profiles: [String: CardProfile], clock: StationClock, station: DigitCode, authority: String,
                centralOffice: Bool = false) {
        self.registry = registry
        self.profiles = profiles
        self.clock = clock
        self.station = station
        self.authority = authority
        self.centralOffice = centralOffice
    }

    /// What an act reports while it works on a card (the API's event stream shows it).
    public enum Step: String, Sendable, CaseIterable {
        case reading, settling, checking, writing, readingBack, recording
    }

    public typealias Progress = @Sendable (Step) async -> Void

    /// What a finished card act did.
    public struct Outcome: Sendable {
        public let act: String
        public let serial: String
        public let permit: Int64?
        public let intent: Int64?
        /// One sentence for the officer.
        public let summary: String
        /// The card as read back after the write, verified, with what the registry now holds.
        public let presentation: Presentation
        /// Time spent waiting for the card's answers, and the act's whole time.
        public let cardTime: Duration
        public let totalTime: Duration
    }

    /// The card on this station's clock, with its answers timed.
    func prepared(_ card: PermitCard) -> (PermitCard, TimedConnection) {
        let timed = TimedConnection(card.connection)
        return (PermitCard(connection: timed, profile: card.profile, terminal: card.terminal, clock: clock), timed)
    }

    /// Runs `body` with the registry, through its actor.
    func inRegistry<T: Sendable>(_ body: @Sendable (Registry) throws(RegistryError) -> T) async throws(StationActError) -> T {
        do { return try await registry.run(body) } catch { throw .registry(error) }
    }

    // MARK: Reading a card

    /// Reads and verifies the card as of today and looks it up in the registry. Writes nothing.
    public func verify(_ card: PermitCard) async throws(StationActError) -> Presentation {
        try await present(prepared(card).0)
    }

    func present(_ card: PermitCard) async throws(StationActError) -> Presentation {
        let (reading, report): (CardReading, VerificationReport)
        do { (reading, report) = try await card.verify() } catch { throw .card(error) }
        return try await looked(up: reading, report: report, profile: card.profile, today: card.calendar.today)
    }

    /// A card reading with what the registry holds for its serial now.
    func looked(up reading: CardReading, report: VerificationReport, profile: CardProfile, today: CalendarDate) async throws(StationActError) -> Presentation {
        let serial = reading.serial.description
        let (lookup, replacement) = try await inRegistry { registry throws(RegistryError) in
            let lookup = try registry.lookup(serial: serial)
            return (lookup, try lookup.flatMap { lookup throws(RegistryError) in try registry.replacement(of: lookup.card) })
        }
        return Presentation(reading: reading, report: report, profile: profile, registered: lookup, replacement: replacement, today: today)
    }

    /// A permit card this registry knows, whose chip proved itself, whose holder agrees with the registry's, and
    /// whose registry card is current: what every act on an issued card requires before it writes.
    func requireInStep(_ presented: Presentation, for operation: String) throws(StationActError) -> CardLookup {
        guard presented.reading.isComplete else {
            throw StationActError(.unprocessable, "Card \(presented.serial) was never finalised; finish its issuance before you \(operation). Nothing was written.")
        }
        guard let registered = presented.registered else {
            throw StationActError(.notFound, "Card \(presented.serial) is not in this station's registry, so it cannot \(operation) here; verify it (`permit verify`) and ask its issuing station. Nothing was written.")
        }
        guard presented.chipProved else {
            let reason = presented.report[.chipAuthentication].map { "\($0)" } ?? "no answer"
            throw StationActError(.unprocessable, "Card \(presented.serial) failed chip authentication (\(reason)): it may be a copy; keep it. Nothing was written.")
        }
        if let disagreement = presented.holderDisagreement {
            throw StationActError(.conflict, "Card \(presented.serial) and the registry disagree: \(disagreement); nothing was written. Check the holder's documents.")
        }
        if let replaced = registered.card.replacedOn {
            throw StationActError(.conflict, "Card \(presented.serial) was replaced on \(replaced) and is void; use the permit's current card. Nothing was written.")
        }
        return registered
    }
}
