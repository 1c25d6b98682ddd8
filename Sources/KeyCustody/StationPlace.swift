import CardSecurity

/// The kinds of place that hold keys, and what each one's token holds: the master keys of its roles
/// and the signing credentials it uses. Nothing else is put into a place's token, so a stolen kiosk
/// gives away the endorsing role and its own record-signing key, nothing more (docs/CARD-SECURITY.md §16).
public enum StationPlace: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// The authority itself: signs the status list. No station holds this token.
    case authority
    /// A police-station desk that issues cards and changes them: every role's master key (it loads the
    /// endorsing and reading keys into each card it issues), its station key and its site's document signer.
    case issuing
    /// An officer's desk that endorses: the endorsing master key and its station key.
    case endorsing
    /// A self-service kiosk: the endorsing master key and the kiosk's record-signing key.
    case kiosk
    /// A field verifier's laptop or handheld: the reading master key.
    case verifier

    /// The roles whose master keys the place's token holds.
    public var masterRoles: Set<KeyRole> {
        switch self {
        case .authority: []
        case .issuing: Set(KeyRole.allCases)
        case .endorsing, .kiosk: [.endorsingStation]
        case .verifier: [.readingTerminal]
        }
    }

    /// The signing credentials the place's token holds.
    public var credentials: [AuthorityCredential] {
        switch self {
        case .authority: [.statusListSigner]
        case .issuing: [.issuingStation, .documentSigner]
        case .endorsing: [.endorsingStation]
        case .kiosk: [.kiosk]
        case .verifier: []
        }
    }

    public var description: String {
        switch self {
        case .authority: "authority"
        case .issuing: "issuing station"
        case .endorsing: "endorsing station"
        case .kiosk: "kiosk"
        case .verifier: "field verifier"
        }
    }
}
