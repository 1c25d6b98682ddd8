/// The terminal roles that hold card keys and prove themselves to the card with them (GET CHALLENGE +
/// EXTERNAL AUTHENTICATE). Each role has its own master key at the authority and its own diversified
/// key on each card, so a kiosk's key can never pass for an issuing station's. Profiles name a key's
/// role with these raw values.
public enum KeyRole: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Personalises cards, changes addresses, suspends, restores and cancels.
    case issuingStation
    /// Endorses (officer desk or self-service kiosk).
    case endorsingStation
    /// Reads protected files (field verifier).
    case readingTerminal

    public var description: String {
        switch self {
        case .issuingStation: "issuing station"
        case .endorsingStation: "endorsing station or kiosk"
        case .readingTerminal: "reading terminal"
        }
    }
}

/// One input of a card key's diversification context, concatenated in a profile's order
/// (`keys[].diversification.context`, docs/PROFILE-FORMAT.md; the bytes in docs/CARD-SECURITY.md).
public enum DiversificationInput: String, Sendable, Hashable, Codable, CaseIterable {
    /// The 8-byte card serial: makes every card's key different.
    case cardSerial
    /// The application identifier's bytes.
    case aid
    /// The key number, one byte.
    case keyNumber
    /// The key version, one byte.
    case keyVersion
}
