import Foundation

/// The card's security object content (like ICAO 9303 EF.SOD's LDS security object): which suite,
/// which card, when signed, the chip's public key, and a digest of every file the authority vouches for.
///
/// Encoding (BER-TLV, docs/CARD-SECURITY.md §6):
/// `71 L { 80 01 version | 81 01 suite | 5A 08 serial | 82 08 YYYYMMDD | 86 41 chip key |
///         A0 L { A1 L { 84 02 file ID | 85 20 digest } ... ascending file ID } }`
public struct SecurityObject: Sendable, Equatable {
    public static let version: UInt8 = 1

    public let suite: CryptoSuite
    public let serial: CardSerial
    public let signedOn: CalendarDate
    public let chipPublicKey: VerifyingKey
    /// File ID → digest of the file's full contents.
    public let fileDigests: [UInt16: [UInt8]]

    /// Builds the content for `files` (file ID → exact contents), hashing each with the suite's digest.
    public init(
        suite: CryptoSuite, serial: CardSerial, signedOn: CalendarDate, chipPublicKey: VerifyingKey,
        files: [UInt16: [UInt8]]
    ) throws(CardSecurityError) {
        var digests: [UInt16: [UInt8]] = [:]
        for (identifier, contents) in files { digests[identifier] = try suite.hash(contents) }
        self.init(suite: suite, serial: serial, signedOn: signedOn, chipPublicKey: chipPublicKey, fileDigests: digests)
    }

    init(suite: CryptoSuite, serial: CardSerial, signedOn: CalendarDate, chipPublicKey: VerifyingKey, fileDigests: [UInt16: [UInt8]]) {
        self.suite = suite
        self.serial = serial
        self.signedOn = signedOn
        self.chipPublicKey = chipPublicKey
        self.fileDigests = fileDigests
    }

    /// The `71` TLV, exactly the bytes the document signer signs (after the domain prefix).
    public var encoded: [UInt8] {
        let manifest = fileDigests.keys.sorted().flatMap { identifier in
            TLV(0xA1, TLV(0x84, [UInt8(identifier >> 8), UInt8(identifier & 0xFF)]).encoded
                + TLV(0x85, fileDigests[identifier]!).encoded).encoded
        }
        return TLV(0x71, TLV(0x80, [Self.version]).encoded
            + TLV(0x81, [suite.identifier]).encoded
            + TLV(0x5A, serial.bytes).encoded
            + TLV(0x82, signedOn.asciiDigits).encoded
            + TLV(0x86, chipPublicKey.x963Representation).encoded
            + TLV(0xA0, manifest).encoded).encoded
    }

    /// Decodes a `71` TLV, refusing anything not exactly in the documented order.
    public init(decoding bytes: [UInt8]) throws(CardSecurityError) {
        let outer = try TLV.decodeAll(bytes, what: "security object")
        guard outer.count == 1, outer[0].tag == [0x71] else { throw .malformedSecurityObject("expected one 71 template") }
        let fields = try TLV.decodeAll(outer[0].value, what: "security object content")
        guard fields.map(\.tag) == [[0x80], [0x81], [0x5A], [0x82], [0x86], [0xA0]] else {
            throw .malformedSecurityObject("fields must be 80, 81, 5A, 82, 86, A0 in this order")
        }
        guard fields[0].value == [Self.version] else { throw .malformedSecurityObject("unknown version") }
        guard fields[1].value.count == 1, let suite = CryptoSuite(identifier: fields[1].value[0]) else {
            throw .malformedSecurityObject("unknown suite identifier")
        }
        var digests: [UInt16: [UInt8]] = [:]
        for entry in try TLV.decodeAll(fields[5].value, what: "file manifest") {
            let parts = try TLV.decodeAll(entry.value, what: "manifest entry")
            guard entry.tag == [0xA1], parts.map(\.tag) == [[0x84], [0x85]], parts[0].value.count == 2,
                  parts[1].value.count == 32
            else { throw .malformedSecurityObject("manifest entries must be A1 { 84 02 file ID, 85 20 digest }") }
            let identifier = UInt16(parts[0].value[0]) << 8 | UInt16(parts[0].value[1])
            guard digests[identifier] == nil else { throw .malformedSecurityObject("file \(identifier) listed twice") }
            digests[identifier] = parts[1].value
        }
        self.init(
            suite: suite, serial: try CardSerial(bytes: fields[2].value), signedOn: try CalendarDate(asciiDigits: fields[3].value),
            chipPublicKey: try VerifyingKey(x963Representation: fields[4].value, suite: suite), fileDigests: digests)
    }
}

/// The card's EF.SOD: `77 L { 71 content | 72 L signer certificate (DER) | 73 40 signature r||s }`.
/// The signature is ECDSA P-256 / SHA-256 over `"PermitStation security object v1" 00 || 71 TLV`.
public struct SignedSecurityObject: Sendable, Equatable {
    public let content: SecurityObject
    let envelope: SignedEnvelope

    public var signerCertificate: PKICertificate { envelope.signerCertificate }
    public var signature: [UInt8] { envelope.signature }

    /// Document-signer side: signs `content`.
    public static func sign(_ content: SecurityObject, signer: some CertifiedSigner) throws(CardSecurityError) -> SignedSecurityObject {
        SignedSecurityObject(
            content: content, envelope: try SignedEnvelope(signing: content.encoded, domain: .securityObject, signer: signer))
    }

    private init(content: SecurityObject, envelope: SignedEnvelope) {
        self.content = content
        self.envelope = envelope
    }

    /// The file's bytes.
    public var encoded: [UInt8] { envelope.encoded(tag: 0x77) }

    /// Decodes EF.SOD as read from the card (the `00` padding after the template is ignored).
    public init(decoding bytes: [UInt8]) throws(CardSecurityError) {
        let envelope = try SignedEnvelope(decoding: bytes, tag: 0x77, name: "EF.SOD")
        self.init(content: try SecurityObject(decoding: envelope.contentBytes), envelope: envelope)
    }

    /// Passive authentication's signature check: the signer certificate chains to the root as a
    /// document signer at `date`, and its key signed this content.
    public func verifySignature(trust: TrustStore, at date: Date) async -> Verdict {
        await envelope.verify(domain: .securityObject, role: .documentSigner, trust: trust, at: date, what: "security object")
    }

    /// The security object belongs to this chip: its serial is the card's (EF.CARD bytes 1-8) and its
    /// chip key is the one in EF.CHIPKEY (CARD-SPEC.md §5.7).
    public func verifyBinding(serial: CardSerial, chipKeyFile: [UInt8]) -> Verdict {
        guard content.serial == serial else {
            return .failed(reason: "the security object is for card \(content.serial), not for this card \(serial): it was copied from another card")
        }
        guard let chipKey = try? ChipKeyFile.decode(chipKeyFile) else {
            return .failed(reason: "EF.CHIPKEY holds no chip key, so the chip cannot be authenticated")
        }
        guard chipKey == content.chipPublicKey else {
            return .failed(reason: "EF.CHIPKEY differs from the chip key the authority signed")
        }
        return .passed
    }

    /// Passive authentication's data check: one verdict per file the security object lists.
    public func verifyFiles(_ files: [UInt16: [UInt8]]) -> [UInt16: Verdict] {
        var verdicts: [UInt16: Verdict] = [:]
        for (identifier, expected) in content.fileDigests {
            let name = String(format: "file %04X", identifier)
            guard let contents = files[identifier] else {
                verdicts[identifier] = .failed(reason: "\(name) was not read, so its digest cannot be checked")
                continue
            }
            guard let actual = try? content.suite.hash(contents) else {
                verdicts[identifier] = .failed(reason: "the suite \(content.suite) is not supported")
                continue
            }
            verdicts[identifier] = actual == expected
                ? .passed : .failed(reason: "\(name) does not match the digest the authority signed: it was altered")
        }
        return verdicts
    }
}
