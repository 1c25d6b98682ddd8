import ISO7816
import Foundation

/// The card's signed records: each record of EF.RESIDENCE, EF.ENDORSE and EF.STATUS carries the
/// signature of the station that wrote it, so records can be added or replaced without re-signing
/// the security object. The record names the station's key by its 8-byte identifier; the verifier
/// finds the certificate among those it carries.
///
/// Signed bytes: `domain prefix || card serial (8) || record body`, where the record body is every
/// byte of the record except its 64-byte signature (layouts in docs/CARD-SPEC.md).
public enum SignedRecordKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// An address and residence-period anchor slot, written at issuance and address change.
    case residence
    /// An endorsement, written by an officer's desk or a kiosk.
    case endorsement
    /// A status change (suspend, restore, cancel), written by an issuing station.
    case status

    public var domain: SignatureDomain {
        switch self {
        case .residence: .residenceRecord
        case .endorsement: .endorsement
        case .status: .statusRecord
        }
    }

    /// The certificate role allowed to sign this kind of record.
    public var signerRole: CertificateRole {
        switch self {
        case .residence, .status: .issuingStation
        case .endorsement: .endorsingStation
        }
    }

    public var description: String { "\(rawValue) record" }
}

public enum RecordSignature {
    /// Station side: the 64-byte r || s signature to store in the record.
    public static func sign(
        _ kind: SignedRecordKind, record: [UInt8], serial: CardSerial, stationKey: some MessageSigner
    ) throws(CardSecurityError) -> [UInt8] {
        try DomainSignature.sign(serial.bytes + record, domain: kind.domain, key: stationKey)
    }

    /// Verifier side: the station certificate for `keyIdentifier` chains to the root with the role the
    /// record kind needs at `date`, and its key signed this record of this card.
    public static func verify(
        _ kind: SignedRecordKind, signature: [UInt8], record: [UInt8], serial: CardSerial,
        keyIdentifier: [UInt8], trust: TrustStore, at date: Date
    ) async -> Verdict {
        guard let certificate = trust.certificate(keyIdentifier: keyIdentifier) else {
            return .failed(reason: "no station certificate with key identifier \(keyIdentifier.hexString) is among the \(trust.certificates.count) carried; update the verifier's certificate bundle")
        }
        let chain = await trust.verify(certificate, for: kind.signerRole, at: date)
        guard chain.isPassed else { return chain }
        guard let key = certificate.publicKey else {
            return .failed(reason: "\(certificate) does not hold a key of a supported suite")
        }
        guard DomainSignature.isValid(signature, of: serial.bytes + record, domain: kind.domain, key: key) else {
            return .failed(reason: "the station's signature over the \(kind) does not verify: the record was altered or forged")
        }
        return .passed
    }
}
