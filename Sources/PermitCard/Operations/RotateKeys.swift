import CardProfiles
import CardSecurity

/// One role key of a card brought to a newer version, for the station's audit log.
public struct KeyRotation: Sendable, Hashable, CustomStringConvertible {
    public let serial: CardSerial
    public let role: KeyRole
    public let keyNumber: Int
    public let fromVersion: Int
    public let toVersion: Int

    public var description: String {
        "card \(serial): the \(role) key (number \(keyNumber)) from version \(fromVersion) to \(toVersion)"
    }
}

extension PermitCard {
    static let rotateOperation = "rotate the card's keys"

    /// Brings every role key the card holds in an earlier version to the profile's current one (CARD-SPEC
    /// §10.8): an issuing station authenticates with the versions the card reports, then loads each newer key
    /// with PUT KEY under secure messaging, the issuing key last. The card refuses a version that is not
    /// higher than the one it holds. Returns what changed, for the station's audit log; nothing when the card
    /// is current. A card pulled half-way holds some keys in the new version: running this again finishes.
    public func rotateKeys() async throws(PermitCardError) -> [KeyRotation] {
        try terminal.requireRole(.issuingStation, for: Self.rotateOperation)
        return try await withSession { session throws(PermitCardError) in
            let fci = try await session.open(.issuingStation, terminal: terminal, for: Self.rotateOperation)
            guard fci.isOperational else { throw .cardIncomplete(serial: fci.serial) }
            let stale = profile.keys
                .filter { spec in fci.keyVersions[spec.number].map { $0 < spec.version } ?? false }
                .sorted { ($0.role == .issuingStation ? 1 : 0, $0.number) < ($1.role == .issuingStation ? 1 : 0, $1.number) }
            var rotations: [KeyRotation] = []
            for spec in stale {
                let key = try terminal.cardKey(spec.role, version: spec.version, profile: profile, serial: fci.serial, for: Self.rotateOperation)
                try await session.run(try session.commands.putKey(spec, version: spec.version, key))
                rotations.append(KeyRotation(
                    serial: fci.serial, role: spec.role, keyNumber: spec.number, fromVersion: fci.keyVersions[spec.number] ?? 0, toVersion: spec.version))
            }
            return rotations
        }
    }
}
