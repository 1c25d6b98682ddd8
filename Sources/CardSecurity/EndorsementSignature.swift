import Foundation

/// Each endorsement record is signed by the station that wrote it. The record itself names the
/// station's key by its 8-byte identifier; the verifier finds the certificate among those it carries.
///
/// Signed bytes: `"PermitStation endorsement v1" 00 || card serial (8) || record body`, where the record
/// body is every byte of the record except its signature (layout in docs/CARD-SPEC.md).
public enum EndorsementSignature {
    /// Station side: the 64-byte r || s signature to store in the record.
    public static func sign(record: [UInt8], serial: CardSerial, stationKey: SigningKey) throws(CardSecurityError) -> [UInt8] {
        try DomainSignature.sign(serial.bytes + record, domain: .endorsement, key: stationKey)
    }

    /// Verifier side: the station certificate for `keyIdentifier` chains to the root as an endorsing
    /// station at `date`, and its key signed this record of this card.
    public static func verify(
        signature: [UInt8], record: [UInt8], serial: CardSerial, keyIdentifier: [UInt8], trust: TrustStore, at date: Date
    ) async -> Verdict {
        guard let certificate = trust.certificate(keyIdentifier: keyIdentifier) else {
            return .failed(reason: "no station certificate with key identifier \(keyIdentifier.hexString) is among the \(trust.certificates.count) carried; update the verifier's certificate bundle")
        }
        let chain = await trust.verify(certificate, for: .endorsingStation, at: date)
        guard chain.isPassed else { return chain }
        guard let key = certificate.publicKey,
              DomainSignature.isValid(signature, of: serial.bytes + record, domain: .endorsement, key: key)
        else { return .failed(reason: "the station's signature over the endorsement does not verify: the record was altered or forged") }
        return .passed
    }
}
