import CardProfiles
import CardSecurity

/// The diversification of a role key as the profile describes it (`keys[].diversification`,
/// PROFILE-FORMAT.md): `KDF(K_master, label, context)` with the context inputs in the profile's order.
/// With the shipped profiles this equals `MasterKeySet.cardKey(for:serial:)` (CARD-SECURITY §4).
public enum CardKeys {
    /// This card's copy of the key `spec`, derived from the role's master key.
    public static func cardKey(
        _ spec: KeySpec, master: CardKey, serial: CardSerial, aid: [UInt8]
    ) throws(CardSecurityError) -> CardKey {
        var context: [UInt8] = []
        for input in spec.diversification.context {
            switch input {
            case .cardSerial: context += serial.bytes
            case .aid: context += aid
            case .keyNumber: context.append(UInt8(truncatingIfNeeded: spec.number))
            case .keyVersion: context.append(UInt8(truncatingIfNeeded: spec.version))
            }
        }
        return try KeyDerivation.derive(from: master, label: Array(spec.diversification.label.utf8), context: context)
    }

    /// This card's key for `role`, from the authority's master keys; nil when the profile has no key for the role.
    public static func cardKey(
        for role: TerminalRole, profile: CardProfile, masterKeys: MasterKeySet, serial: CardSerial
    ) throws(CardSecurityError) -> CardKey? {
        guard let spec = profile.key(for: role), let keyRole = KeyRole(rawValue: role.rawValue) else { return nil }
        return try cardKey(spec, master: masterKeys.masterKey(for: keyRole), serial: serial, aid: profile.card.aid)
    }
}
