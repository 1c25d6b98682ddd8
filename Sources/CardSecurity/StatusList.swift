import ISO7816
import Foundation

/// The authority's list of cards that are not in force (suspended, cancelled, replaced) and of station and
/// document-signer certificates that are revoked, signed by the authority's status-list signer and carried
/// offline by field verifiers with the root and station certificates (CARD-SPEC.md §6 step 8,
/// CARD-SECURITY.md §11).
///
/// Encoding (version 2): `71 L { 80 01 version | 81 01 suite | 82 08 issued YYYYMMDD | 83 04 sequence |
///   A0 L { A1 L { 5A 08 serial | 84 01 status | 85 01 reason | 86 08 effective YYYYMMDD | 87 02 status sequence } ... ascending serial }
///   A2 L { A3 L { 88 08 key identifier | 86 08 revoked from YYYYMMDD } ... ascending key identifier } }`
public struct StatusList: Sendable, Equatable {
    public static let version: UInt8 = 2

    /// One listed card. `status` and `reason` use the EF.STATUS codes (CARD-SPEC.md §5.5):
    /// `02` suspended, `03` cancelled, `04` replaced. `statusSequence` is the sequence number of the status
    /// change it lists, in the card's own count (EF.STATUS): a card record with a higher sequence was written
    /// after it, one with a lower sequence before it. Dates never decide which is newer.
    public struct Entry: Sendable, Hashable {
        public let serial: CardSerial
        public let status: UInt8
        public let reason: UInt8
        public let effective: CalendarDate
        public let statusSequence: UInt16

        public init(serial: CardSerial, status: UInt8, reason: UInt8, effective: CalendarDate, statusSequence: UInt16) throws(CardSecurityError) {
            guard (0x02...0x04).contains(status) else {
                throw .malformedSecurityObject("status list entries are 02 suspended, 03 cancelled or 04 replaced, not \([status].hexString)")
            }
            guard statusSequence > 0 else { throw .malformedSecurityObject("a status list entry's status sequence starts at 1") }
            self.serial = serial
            self.status = status
            self.reason = reason
            self.effective = effective
            self.statusSequence = statusSequence
        }

        /// Cancelled or replaced: never undone, whatever the card shows.
        public var isFinal: Bool { status == 0x03 || status == 0x04 }
    }

    /// A revoked certificate, named by its key's identifier (CARD-SECURITY.md §4): nothing its key signed
    /// on `revokedFrom` or later is accepted. For a stolen key the authority dates the revocation back to
    /// the day it can no longer vouch for the key (at the latest the theft), so records dated after are refused.
    public struct Revocation: Sendable, Hashable {
        public let keyIdentifier: [UInt8]
        public let revokedFrom: CalendarDate

        public init(keyIdentifier: [UInt8], revokedFrom: CalendarDate) throws(CardSecurityError) {
            guard keyIdentifier.count == 8 else {
                throw .invalidLength(field: "revoked key identifier", expected: 8, actual: keyIdentifier.count)
            }
            self.keyIdentifier = keyIdentifier
            self.revokedFrom = revokedFrom
        }
    }

    public let suite: CryptoSuite
    public let issuedOn: CalendarDate
    /// Raised with every list the authority publishes, so a verifier can refuse an older one.
    public let sequence: UInt32
    /// Sorted by serial, one entry per serial.
    public let entries: [Entry]
    /// Sorted by key identifier, one entry per key.
    public let revoked: [Revocation]

    public init(
        suite: CryptoSuite, issuedOn: CalendarDate, sequence: UInt32, entries: [Entry], revoked: [Revocation] = []
    ) throws(CardSecurityError) {
        try suite.requireSupported()
        let sorted = entries.sorted { $0.serial.bytes.lexicographicallyPrecedes($1.serial.bytes) }
        guard Set(sorted.map(\.serial)).count == sorted.count else {
            throw .malformedSecurityObject("a card serial is listed twice in the status list")
        }
        let revocations = revoked.sorted { $0.keyIdentifier.lexicographicallyPrecedes($1.keyIdentifier) }
        guard Set(revocations.map(\.keyIdentifier)).count == revocations.count else {
            throw .malformedSecurityObject("a key identifier is revoked twice in the status list")
        }
        self.suite = suite
        self.issuedOn = issuedOn
        self.sequence = sequence
        self.entries = sorted
        self.revoked = revocations
    }

    /// The entry for `serial`, if the card is listed.
    public func entry(for serial: CardSerial) -> Entry? {
        entries.first { $0.serial == serial }
    }

    /// The revocation of the certificate whose key has `keyIdentifier`, if it is revoked.
    public func revocation(of keyIdentifier: [UInt8]) -> Revocation? {
        revoked.first { $0.keyIdentifier == keyIdentifier }
    }

    public var encoded: [UInt8] {
        let list = entries.flatMap { entry in
            TLV(0xA1, TLV(0x5A, entry.serial.bytes).encoded + TLV(0x84, [entry.status]).encoded
                + TLV(0x85, [entry.reason]).encoded + TLV(0x86, entry.effective.asciiDigits).encoded
                + TLV(0x87, [UInt8(entry.statusSequence >> 8), UInt8(entry.statusSequence & 0xFF)]).encoded).encoded
        }
        let revocations = revoked.flatMap { revocation in
            TLV(0xA3, TLV(0x88, revocation.keyIdentifier).encoded + TLV(0x86, revocation.revokedFrom.asciiDigits).encoded).encoded
        }
        let sequenceBytes = (0..<4).map { UInt8(truncatingIfNeeded: sequence >> (24 - 8 * $0)) }
        return TLV(0x71, TLV(0x80, [Self.version]).encoded + TLV(0x81, [suite.identifier]).encoded
            + TLV(0x82, issuedOn.asciiDigits).encoded + TLV(0x83, sequenceBytes).encoded + TLV(0xA0, list).encoded
            + TLV(0xA2, revocations).encoded).encoded
    }

    public init(decoding bytes: [UInt8]) throws(CardSecurityError) {
        let outer = try TLV.decodeAll(bytes, what: "status list")
        guard outer.count == 1, outer[0].tag == [0x71] else { throw .malformedSecurityObject("expected one 71 template") }
        let fields = try TLV.decodeAll(outer[0].value, what: "status list content")
        guard fields.map(\.tag) == [[0x80], [0x81], [0x82], [0x83], [0xA0], [0xA2]], fields[0].value == [Self.version],
              fields[1].value.count == 1, let suite = CryptoSuite(identifier: fields[1].value[0]), fields[3].value.count == 4
        else { throw .malformedSecurityObject("status list fields must be 80 (02), 81, 82, 83 (4 bytes), A0, A2 in this order") }
        var entries: [Entry] = []
        for item in try TLV.decodeAll(fields[4].value, what: "status list entries") {
            let parts = try TLV.decodeAll(item.value, what: "status list entry")
            guard item.tag == [0xA1], parts.map(\.tag) == [[0x5A], [0x84], [0x85], [0x86], [0x87]],
                  parts[1].value.count == 1, parts[2].value.count == 1, parts[4].value.count == 2
            else { throw .malformedSecurityObject("status list entries must be A1 { 5A, 84, 85, 86, 87 }") }
            entries.append(try Entry(
                serial: CardSerial(bytes: parts[0].value), status: parts[1].value[0], reason: parts[2].value[0],
                effective: CalendarDate(asciiDigits: parts[3].value), statusSequence: UInt16(parts[4].value[0]) << 8 | UInt16(parts[4].value[1])))
        }
        var revoked: [Revocation] = []
        for item in try TLV.decodeAll(fields[5].value, what: "revoked certificates") {
            let parts = try TLV.decodeAll(item.value, what: "revoked certificate")
            guard item.tag == [0xA3], parts.map(\.tag) == [[0x88], [0x86]] else {
                throw .malformedSecurityObject("revoked certificates must be A3 { 88, 86 }")
            }
            revoked.append(try Revocation(keyIdentifier: parts[0].value, revokedFrom: CalendarDate(asciiDigits: parts[1].value)))
        }
        try self.init(suite: suite, issuedOn: CalendarDate(asciiDigits: fields[2].value),
                      sequence: fields[3].value.reduce(0) { $0 << 8 | UInt32($1) }, entries: entries, revoked: revoked)
        guard encoded == bytes else { throw .malformedSecurityObject("status list entries or revocations are not in ascending order") }
    }
}

/// The status list as distributed: `78 L { 71 content | 72 L signer certificate | 73 40 signature }`,
/// signed over `"PermitStation status list v2" 00 || 71 TLV` by the authority's status-list signer.
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

    /// The signer chains to the root as the status-list signer at `date` and signed this list.
    public func verifySignature(trust: TrustStore, at date: Date) async -> Verdict {
        await envelope.verify(domain: .statusList, role: .statusListSigner, trust: trust, at: date, what: "status list")
    }
}
