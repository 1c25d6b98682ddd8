/// The signing credentials an authority hands out, each to one kind of place: the name is the stem of
/// its files (`<name>.pem`) and the label of its key and certificate in a token.
public enum AuthorityCredential: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Signs security objects at issuance; held by an issuing site.
    case documentSigner = "document-signer"
    /// Signs residence and status records; held by an issuing site (it may also endorse).
    case issuingStation = "issuing-station"
    /// Signs endorsements at an officer's desk.
    case endorsingStation = "endorsing-station"
    /// Signs the endorsements a self-service kiosk makes.
    case kiosk
    /// Signs the status list field verifiers carry; held by the authority, by no station.
    case statusListSigner = "status-list-signer"

    /// The roles its certificate carries.
    public var roles: Set<CertificateRole> {
        switch self {
        case .documentSigner: [.documentSigner]
        case .statusListSigner: [.statusListSigner]
        case .issuingStation: [.issuingStation, .endorsingStation]
        case .endorsingStation, .kiosk: [.endorsingStation]
        }
    }

    /// The last words of its certificate's subject, after the authority's name.
    public var subject: String {
        switch self {
        case .documentSigner: "Document Signer"
        case .issuingStation: "Issuing Station"
        case .endorsingStation: "Endorsing Station"
        case .kiosk: "Kiosk"
        case .statusListSigner: "Status List Signer"
        }
    }

    public var description: String { rawValue }
}
