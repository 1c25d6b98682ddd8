import CardSecurity
import Foundation

/// What the three record kinds share (CARD-SPEC §5.3-§5.5): a body, the signer's 8-byte key
/// identifier, and a 64-byte signature over `serial || body || key identifier`, then `00` padding
/// up to the profile's record length.
protocol SignedCardRecord: Sendable {
    static var kind: SignedRecordKind { get }
    static var fileName: String { get }
    /// Bytes of the record before the key identifier.
    static var bodyLength: Int { get }
    var body: [UInt8] { get }
    var signer: RecordSigner { get }
}

/// The key identifier naming the station certificate, and the signature itself.
public struct RecordSigner: Sendable, Hashable {
    public var keyIdentifier: [UInt8]
    public var signature: [UInt8]

    init(keyIdentifier: [UInt8], signature: [UInt8]) {
        self.keyIdentifier = keyIdentifier
        self.signature = signature
    }
}

extension SignedCardRecord {
    /// The signed part: body and key identifier.
    var signedBytes: [UInt8] { body + signer.keyIdentifier }

    /// The record as written, padded to `length`.
    func encoded(length: Int) -> [UInt8] {
        let bytes = signedBytes + signer.signature
        return bytes + [UInt8](repeating: 0, count: max(0, length - bytes.count))
    }

    /// Signs `body` for `serial` with the station's key.
    static func sign(body: [UInt8], serial: CardSerial, station: some MessageSigner) throws(CardSecurityError) -> RecordSigner {
        let keyIdentifier = station.publicKey.keyIdentifier
        let signature = try RecordSignature.sign(kind, record: body + keyIdentifier, serial: serial, stationKey: station)
        return RecordSigner(keyIdentifier: keyIdentifier, signature: signature)
    }

    /// Splits a record read from the card into body and signer, checking length and padding.
    static func split(_ record: [UInt8]) throws(CardDataError) -> (body: [UInt8], signer: RecordSigner) {
        let signedLength = bodyLength + 8 + VerifyingKey.signatureLength
        guard record.count >= signedLength else { throw .invalidLayout(fileName, "a record of \(record.count) bytes is shorter than \(signedLength)") }
        guard record[signedLength...].allSatisfy({ $0 == 0 }) else { throw .invalidLayout(fileName, "bytes after the signature are not 00 padding") }
        return (Array(record[..<bodyLength]),
                RecordSigner(keyIdentifier: Array(record[bodyLength..<(bodyLength + 8)]),
                             signature: Array(record[(bodyLength + 8)..<signedLength])))
    }

    /// The verdict on this record's signature for the card `serial`.
    func verifySignature(serial: CardSerial, trust: TrustStore, at date: Date) async -> Verdict {
        await RecordSignature.verify(
            Self.kind, signature: signer.signature, record: signedBytes, serial: serial,
            keyIdentifier: signer.keyIdentifier, trust: trust, at: date)
    }
}
