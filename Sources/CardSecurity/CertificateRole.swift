import SwiftASN1
import X509

/// What a certificate's key may sign, carried as an extended-key-usage OID.
///
/// The arc 1.3.6.1.4.1.32473 is IANA's enterprise number reserved for documentation (RFC 5612): right
/// for the test authority; a production authority replaces `arc` with its own registered arc.
public enum CertificateRole: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Signs card security objects (an issuing site's document signer).
    case documentSigner
    /// Signs residence and status records (a police-station desk that issues and changes cards).
    case issuingStation
    /// Signs endorsement records (an officer's station or a self-service kiosk).
    case endorsingStation
    /// Signs status lists (the authority's own signer, which no station holds).
    case statusListSigner

    static let arc: [UInt] = [1, 3, 6, 1, 4, 1, 32473, 7]

    /// `1.3.6.1.4.1.32473.7.1` (document signer), `.7.2` (endorsing station), `.7.3` (issuing station),
    /// `.7.4` (status-list signer).
    public var usageOID: String { (Self.arc + [suffix]).map(String.init).joined(separator: ".") }

    var usage: ExtendedKeyUsage.Usage {
        // The components are constants, so building the OID cannot fail.
        ExtendedKeyUsage.Usage(oid: try! ASN1ObjectIdentifier(elements: Self.arc + [suffix]))
    }

    private var suffix: UInt {
        switch self {
        case .documentSigner: 1
        case .endorsingStation: 2
        case .issuingStation: 3
        case .statusListSigner: 4
        }
    }

    public var description: String {
        switch self {
        case .documentSigner: "document signer"
        case .issuingStation: "issuing station"
        case .endorsingStation: "endorsing station"
        case .statusListSigner: "status-list signer"
        }
    }
}
