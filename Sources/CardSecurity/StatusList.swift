import ISO7816
import Foundation

/// The authority's list of cards that are not in force (suspended, cancelled, replaced), signed by a
/// document signer and carried offline by field verifiers with the root and station certificates.
/// A listed status newer than the card's own status record wins (CARD-SPEC.md §6 step 8).
///
/// Encoding: `71 L { 80 01 version | 81 01 suite | 82 08 issued YYYYMMDD | 83 04 sequence |
///   A0 L { A1 L { 5A 08 serial | 84 01 status | 85 01 reason | 86 08 effective YYYYMMDD } ... ascending serial } }`
public struct StatusList: Sendable, Equatable {
    public static let version: UInt8 = 1

    /// One listed card. `status` and `reason` use the EF.STATUS codes (CARD-SPEC.md §5.5):
    /// `02` suspended, `03` cancelled, `04` replaced.
    public struct Entry: Sendable, Hashable {
        public let serial: CardSerial
        public let status: UInt8
        public let reason: UInt8
        public let effective: CalendarDate

        public init(serial: CardSerial, status: UInt8, reason: UInt8, effective: CalendarDate) throws(CardSecurityError) {
            guard (0x02...0x04).contains(status) else {
                throw .malformedSecurityObject("status list entries are 02 suspended, 03 cancelled or 04 replaced, not \([status].hexString)")
            }
            self.serial = serial
            self.status = status
            self.reason = reason
            self.effective = effective
        }
    }

    public let suite: CryptoSuite
    public let issuedOn: CalendarDate
    /// Raised with every list the authority publishes, so a verifier can refuse an older one.
    public let sequence: UInt32
    /// Sorted by serial, one entry per serial.
    public let entries: [Entry]

    public init(suite: CryptoSuite, issuedOn: CalendarDate, sequence: UInt32, entries: [Entry]) throws(CardSecurityError) {
        try suite.requireSupported()
        let sorted = entries.sorted { $0.serial.bytes.lexicographicallyPrecedes($1.serial.bytes) }
        guard Set(sorted.map(\.serial)).count == sorted.count else {
            throw .malformedSecurityObject("a card serial is listed twice in the status list")
        }
        self.suite = suite
        self.issuedOn = issuedOn
        self.sequence = sequence
        self.entries = sorted
    }

    /// The entry for `serial`, if the card is listed.
    public func entry(for serial: CardSerial) -> Entry? {
        entries.first { $0.serial == serial }
    }

    public var encoded: [UInt8] {
        let list = entries.flatMap { entry in
            TLV(0xA1, TLV(0x5A, entry.serial.bytes).encoded + TLV(0x84, [entry.status]).encoded
                + TLV(0x85, [entry.reason]).encoded + TLV(0x86, entry.effective.asciiDigits).encoded).encoded
        }
        let sequenceBytes = (0..<4).map { UInt8(truncatingIfNeeded: sequence >> (24 - 8 * $0)) }
        return TLV(0x71, TLV(0x80, [Self.version]).encoded + TLV(0x81, [suite.identifier]).encoded
            + TLV(0x82, issuedOn.asciiDigits).encoded + TLV(0x83, sequenceBytes).encoded + TLV(0xA0, list).encoded).encoded
    }

    public init(decoding bytes: [UInt8]) throws(CardSecurityError) {
        let outer = try TLV.decodeAll(bytes, what: "status list")
        guard outer.count == 1, outer[0].tag == [0x71] else { throw .malformedSecurityObject("expected one 71 template") }
        let fields = try TLV.decodeAll(outer[0].value, what: "status list content")
        guard fields.map(\.tag) == [[0x80], [0x81], [0x82], [0x83], [0xA0]], fields[0].value == [Self.version],
              fields[1].value.count == 1, let suite = CryptoSuite(identifier: fields[1].value[0]), fields[3].value.count == 4
        else { throw .malformedSecurityObject("status list fields must be 80 (01), 81, 82, 83 (4 bytes), A0 in this order") }
        var entries: [Entry] = []
        for item in try TLV.decodeAll(fields[4].value, what: "status list entries") {
            let parts = try TLV.decodeAll(item.value, what: "status list entry")
            guard item.tag == [0xA1], parts.map(\.tag) == [[0x5A], [0x84], [0x85], [0x86]],
                  parts[1].value.count == 1, parts[2].value.count == 1
            else { throw .malformedSecurityObject("status list entries must be A1 { 5A, 84, 85, 86 }") }
            entries.append(try Entry(serial: CardSerial(bytes: parts[0].value), status: parts[1].value[0],
                                     reason: parts[2].value[0], effective: CalendarDate(asciiDigits: parts[3].value)))
        }
        try self.init(suite: suite, issuedOn: CalendarDate(asciiDigits: fields[2].value),
                      sequence: fields[3].value.reduce(0) { $0 << 8 | UInt32($1) }, entries: entries)
        guard encoded == bytes else { throw .malformedSecurityObject("status list entries are not in ascending serial order") }
    }
}

/// The status list as distributed: `78 L { 71 content | 72 L signer certificate | 73 40 signature }`,
/// signed over `"PermitStation status list v1" 00 || 71 TLV`.
public struct SignedStatusList: Sendable, Equatable {
    public let content: StatusList
    let envelope: SignedEnvelope

    public var signerCertificate: PKICertificate { envelope.signerCertificate }

    public static func sign(_ content: StatusList, signer: some CertifiedSigner) throws(CardSecurityError) -> SignedStatusList {
        SignedStatusList(content: content, envelope: try SignedEnvelope(signing: content.encoded, domain: .statusList, signer: signer))
    }

    private init(content: StatusList, envelope: SignedEnvelope) {
        self.content = content
        self.envelope = envelope
    }

    public var encoded: [UInt8] { envelope.encoded(tag: 0x78) }

    public init(decoding bytes: [UInt8]) throws(CardSecurityError) {
        let envelope = try SignedEnvelope(decoding: bytes, tag: 0x78, name: "status list")
        self.init(content: try StatusList(decoding: envelope.contentBytes), envelope: envelope)
    }

    /// The signer chains to the root as a document signer at `date` and signed this list.
    public func verifySignature(trust: TrustStore, at date: Date) async -> Verdict {
        await envelope.verify(domain: .statusList, trust: trust, at: date, what: "status list")
    }
}
