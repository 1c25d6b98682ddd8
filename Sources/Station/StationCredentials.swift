import CardProfiles
import CardSecurity
import Foundation
import KeyCustody
import PermitCard

/// What the daemon acts on cards with (`cards` in its configuration): the keys of its place in a PKCS#11
/// token, the trust bundle it verifies cards with, its station code and the authority's name it writes at
/// issuance. Read once at start; without `cards.keys` the daemon makes no card act.
public struct StationCredentials: Sendable {
    public let keys: StationKeys
    public let trust: TrustStore
    public let station: DigitCode
    public let authority: String
    public let centralOffice: Bool

    public init(keys: StationKeys, trust: TrustStore, station: DigitCode, authority: String, centralOffice: Bool) {
        self.keys = keys
        self.trust = trust
        self.station = station
        self.authority = authority
        self.centralOffice = centralOffice
    }

    /// The credentials `configuration` names, or nil when it names no keys.
    public static func load(_ configuration: StationConfiguration) throws -> StationCredentials? {
        let cards = configuration.cards
        guard let keysPath = cards.keys else { return nil }
        guard let station = DigitCode.station(configuration.station) else {
            throw CredentialsError("station: \"\(configuration.station)\" is not a 12-digit station code")
        }
        guard let trustPath = cards.trust else {
            throw CredentialsError("cards.trust: the trust bundle is needed with cards.keys (trust-bundle.pem of `permit pki init`)")
        }
        guard let text = try? String(contentsOfFile: trustPath, encoding: .utf8) else {
            throw CredentialsError("cards.trust: cannot read \(trustPath); check the path and its permissions")
        }
        let trust = try TrustStore(pemBundle: text)
        let keys = try StationKeys.token(try TokenConfiguration.load(from: URL(fileURLWithPath: keysPath)), place: cards.place)
        return StationCredentials(keys: keys, trust: trust, station: station, authority: cards.authority,
                                  centralOffice: cards.role == .centralOffice)
    }

    /// This station's terminal for a card of `profile`: the roles of its place and the credentials it signs with.
    public func terminal(for profile: CardProfile) throws -> PermitTerminal {
        try keys.terminal(station: station, trust: trust, statusList: nil)
    }
}

/// Why the daemon's card credentials cannot be used: one sentence.
public struct CredentialsError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description + "." }
}

extension StationKeys {
    /// The terminal of this place: an issuing station with every master key and both signers; an endorsing
    /// station or kiosk with the endorsing key and its own record signer; a verifier (or the authority) reads.
    public func terminal(station: DigitCode, trust: TrustStore, statusList: SignedStatusList?) throws(CardSecurityError) -> PermitTerminal {
        switch place {
        case .issuing:
            return .issuingStation(
                station: station, masterKeys: masterKeys, stationCredential: try credential(.issuingStation),
                documentSigner: try credential(.documentSigner), trust: trust, statusList: statusList)
        case .endorsing, .kiosk:
            return PermitTerminal(
                station: station, masterKeys: masterKeys, roles: [.endorsingStation],
                recordSigner: try credential(place == .kiosk ? .kiosk : .endorsingStation), documentSigner: nil, trust: trust,
                statusList: statusList)
        case .verifier, .authority:
            return .verifier(masterKeys: masterKeys, trust: trust, statusList: statusList, station: station)
        }
    }
}
