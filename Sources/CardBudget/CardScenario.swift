import CardEmulator
import CardProfiles
import CardSecurity
import InProcessCard
import Lifecycle
import PermitApplet
import PermitCard
import SmartCard

/// One card operation of CARD-SPEC §10 as a repeatable run: the card it starts from, the act, and what
/// its result must be. The APDU budget counts the act against the reference card in process; card-bench
/// times the same act through pcscd. An act whose result is wrong throws, so it is never counted or
/// timed as a success.
public struct CardScenario: Sendable {
    /// Who performs a step: `verifierOn` is a field verifier carrying a status list issued that day (fresh then).
    public enum Role: Sendable { case desk, kiosk, verifier, verifierOn(CalendarDate) }

    /// One step: a role's call on `PermitCard`, throwing `ScenarioFailure` when the card's answer is not
    /// the one expected.
    public struct Step: Sendable {
        public let role: Role
        public let run: @Sendable (PermitCard) async throws -> Void
    }

    /// How the row is named in tables.
    public let name: String
    public let operation: APDUBudget.Operation
    public let profile: CardProfile
    /// The fewest APDUs the design needs, in the words of CARD-SPEC §11.
    public let minimum: String
    /// Steps that bring a blank card to the state the act starts from (not counted, not timed).
    let setup: [Step]
    /// The counted, timed operation.
    let act: Step
    /// Afterwards, untimed: confirms the card holds what the act wrote, when its own result cannot say.
    let check: Step?

    public static let serial = try! CardSerial(hex: "5A4A000000000001")

    /// The card state the act starts from: a blank card of the profile taken through `setup` in process.
    public func startState(_ authority: ScenarioAuthority) async throws -> CardState {
        let card = try PermitApplet.freshCard(profile: profile, serial: Self.serial, masterKeys: authority.authority.masterKeys)
        let reader = InProcessReader(card: card)
        for step in setup { try await run(step, on: try reader.connect(options: channelOptions), authority) }
        return card.state
    }

    /// The transport options a station uses with this scenario's profile.
    public var channelOptions: ChannelOptions { ChannelOptions(extendedLength: profile.apdu.extendedLength) }

    /// Runs the act over `connection` (to a card in the start state); throws when its result is wrong.
    public func act(on connection: any APDUConnection, _ authority: ScenarioAuthority) async throws {
        try await run(act, on: connection, authority)
    }

    /// Confirms the card took the act (a separate connection, after it).
    public func check(on connection: any APDUConnection, _ authority: ScenarioAuthority) async throws {
        if let check { try await run(check, on: connection, authority) }
    }

    private func run(_ step: Step, on connection: any APDUConnection, _ authority: ScenarioAuthority) async throws {
        let terminal = switch step.role {
        case .desk: authority.desk
        case .kiosk: authority.kiosk
        case .verifier: authority.verifier
        case .verifierOn(let day): try authority.verifier(on: day)
        }
        try await step.run(PermitCard(connection: connection, profile: profile, terminal: terminal))
    }
}

/// A scenario's act returned something other than what the scenario expects.
public struct ScenarioFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

func expect(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    guard condition else { throw ScenarioFailure(what()) }
}
