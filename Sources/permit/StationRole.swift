import ArgumentParser
import CardProfiles
import Foundation
import Lifecycle

/// What this station does in its region's deployment (BRIEF §2): every station accepts, endorses and changes;
/// personalising a card is done by each station where the profile says `cardPersonalisation: station`
/// (Zhejiang), and only by the central office where it says `centralOffice` (Inner Mongolia: 分散受理、集中制证).
enum StationRole: String, ExpressibleByArgument, CaseIterable {
    /// A police station or service counter.
    case counter
    /// The region's central card-production office.
    case centralOffice
}

/// The station role option shared by the commands that personalise a card.
struct StationRoleOptions: ParsableArguments {
    static let environmentVariable = "PERMIT_STATION_ROLE"

    @Option(help: "This station's role: counter or centralOffice (default: $PERMIT_STATION_ROLE, else counter).")
    var stationRole: StationRole?

    var role: StationRole {
        get throws {
            if let stationRole { return stationRole }
            guard let text = ProcessInfo.processInfo.environment[Self.environmentVariable], !text.isEmpty else { return .counter }
            guard let role = StationRole(rawValue: text) else {
                throw CommandError("\(Self.environmentVariable): \"\(text)\" is not a station role; set it to counter or centralOffice.")
            }
            return role
        }
    }

    /// Checks before anything else is read when the profile is named on the command line (`--profile`); otherwise the
    /// check runs once the card's profile is known.
    func requirePersonalisation(named name: String?, profiles: String?, operation: String) throws {
        guard let name else { return }
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        try requirePersonalisation(try library.load(name), operation: operation)
    }

    /// Throws, with who does it instead, when `profile`'s region does not let this station personalise cards.
    func requirePersonalisation(_ profile: CardProfile, operation: String) throws {
        guard profile.policy.cardPersonalisation == .centralOffice, try role != .centralOffice else { return }
        throw DeploymentRefusal(operation: operation, profile: profile.name)
    }
}

/// An operation the station's role does not include, with who does it.
struct DeploymentRefusal: Error, CustomStringConvertible {
    let operation: String
    let profile: String

    var description: String {
        "This station is a counter, and in the \(profile) region cards are personalised by the central office (分散受理、集中制证): "
            + "it accepts the application, endorses and changes addresses, but cannot \(operation). Send the application to the central office, "
            + "which makes the card; nothing was written. (The central office's station runs with --station-role centralOffice.)"
    }
}
