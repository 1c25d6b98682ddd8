import CardProfiles
import CardSecurity

/// The diversification of a role key as the profile describes it (`keys[].diversification`,
/// PROFILE-FORMAT.md): `KDF(K_master, label, context)` with the context inputs in the profile's order,
/// computed where the master key lives (a token, or a development file's keys in memory).
/// With the shipped profiles this equals `MasterKeySet.cardKey(for:serial:)` (CARD-SECURITY §4).
public enum CardKeys {
    /// This card's copy of the key `spec`, derived from the role's master key in `masterKeys`.
    public static func cardKey(
        _ spec: KeySpec, masterKeys: some MasterKeyStore, serial: CardSerial, aid: [UInt8]
    ) throws(CardSecurityError) -> CardKey {
        try masterKeys.cardKey(
            master: MasterKeyReference(role: spec.role, label: spec.master), label: Array(spec.diversification.label.utf8),
            inputs: spec.diversification.context,
            serial: serial, aid: aid, keyNumber: UInt8(truncatingIfNeeded: spec.number), keyVersion: UInt8(truncatingIfNeeded: spec.version))
    }
}
