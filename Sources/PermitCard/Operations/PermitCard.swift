import CardProfiles
import CardSecurity
import Foundation
import ISO7816
import Lifecycle

/// The host side of the residence-permit card application: one typed operation per act of
/// CARD-SPEC §10 over a connection to a card of `profile` (a PC/SC `CardConnection`, or the in-process
/// reference card in tests), performed by `terminal`.
///
/// Every operation decides all it can before its first write, so a refusal writes nothing; each
/// change after issuance is one atomic card write (§12). Each runs inside a transaction so no
/// other program interleaves APDUs.
///
/// The day written into what it signs is its station calendar's today: the clock it was built with, read
/// in the region's time zone. No operation takes a date from its caller; a station runs on the system
/// clock, and only tests, the demo and benchmarks build one with a test clock (docs/CLOCK.md).
public struct PermitCard: Sendable {
    public let connection: any APDUConnection
    public let profile: CardProfile
    public let terminal: PermitTerminal
    /// The station's calendar in the profile's time zone.
    public let calendar: StationCalendar

    public init(connection: any APDUConnection, profile: CardProfile, terminal: PermitTerminal, clock: StationClock = .system) {
        self.connection = connection
        self.profile = profile
        self.terminal = terminal
        calendar = profile.calendar(clock: clock)
    }

    /// The same card, profile and terminal on `clock` (tests, the demo and benchmarks step a test clock this way).
    public func with(clock: StationClock) -> PermitCard {
        PermitCard(connection: connection, profile: profile, terminal: terminal, clock: clock)
    }

    /// Runs `body` with a fresh application session inside a transaction.
    func withSession<T: Sendable>(_ body: (inout ApplicationSession) async throws(PermitCardError) -> T) async throws(PermitCardError) -> T {
        var session = try ApplicationSession(connection: connection, profile: profile)
        do {
            return try await connection.withTransaction {
                try await body(&session)
            }
        } catch let error as PermitCardError {
            throw error
        } catch {
            throw ApplicationSession.communication(error)
        }
    }
}
