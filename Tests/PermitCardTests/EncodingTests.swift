import CardSecurity
import Lifecycle
@testable import PermitCard
import Testing

/// The file and record encodings against the examples printed in docs/CARD-SPEC.md §5, and their
/// strict decoding (CARD-SPEC §13: exact formats, no unknown tags, `00` padding only).
@Suite("Card encodings (CARD-SPEC §5)")
struct EncodingTests {
    static func bytes(_ text: String) -> [UInt8] { try! [UInt8](hex: text.filter { !$0.isWhitespace }) }

    @Test("EF.CARD equals the §5.1 example and decodes back")
    func cardInfo() throws {
        let info = CardInfo(serial: Fixture.serial(1), personalisation: .init(
            suite: .international, profileName: "zhejiang", profileVersion: 1, regionCode: .district("330000")!,
            issued: Fixture.issueDay, anchor: Fixture.issueDay, expiry: CalendarDate(year: 2027, month: 3, day: 1)!,
            replaces: nil, issuingStation: Fixture.station))
        let example = Self.bytes("""
            01 5A 4A 00 00 00 00 00 01 01 7A 68 65 6A 69 61 6E 67 00 00 00 00 00 00 00 00 00 01 33 00 00 20
            26 03 01 20 26 03 01 20 27 03 01 00 00 00 00 00 00 00 00 33 01 02 00 00 01 00 00 00 00 00 00 00
            """)
        #expect(info.encoded == example)
        #expect(try CardInfo(decoding: example) == info)
        let blank = CardInfo(serial: Fixture.serial(1), personalisation: nil)
        #expect(try CardInfo(decoding: blank.encoded).personalisation == nil)
    }

    @Test("EF.HOLDER equals the §5.2 example; padding, order and unknown tags are refused")
    func holder() throws {
        let example = Self.bytes("""
            65 81 94 80 06 E5 BC A0 E4 BC 9F 81 09 5A 48 41 4E 47 20 57 45 49 82 01 31 83 04 19 90 05 17 84 02
            30 31 85 12 31 31 30 31 30 35 31 39 39 30 30 35 31 37 31 32 33 33 86 22 E5 8C 97 E4 BA AC E5 B8 82
            E4 B8 9C E5 9F 8E E5 8C BA E6 99 AF E5 B1 B1 E5 89 8D E8 A1 97 34 E5 8F B7 87 0F 33 33 30 31 30 32
            32 30 32 36 30 30 30 30 31 88 21 E6 9D AD E5 B7 9E E5 B8 82 E5 85 AC E5 AE 89 E5 B1 80 E4 B8 8A E5
            9F 8E E5 8C BA E5 88 86 E5 B1 80 89 06 33 01 02 00 00 01
            """)
        #expect(try Fixture.holder.template() == example)
        let file = try Fixture.holder.fileContents(size: 512)
        #expect(file.count == 512)
        #expect(try HolderIdentity(decoding: file) == Fixture.holder)

        var trailing = file
        trailing[511] = 0x01
        #expect(throws: CardDataError.self) { try HolderIdentity(decoding: trailing) }
        var unknownTag = file
        unknownTag[3] = 0x8F  // the name's tag becomes an unknown one
        #expect(throws: CardDataError.self) { try HolderIdentity(decoding: unknownTag) }
        // The right shape with a wrong GB 11643 check character (byte 54, the ID's last) is refused as read.
        var badCheck = file
        #expect(badCheck[54] == 0x33)
        badCheck[54] = 0x34
        #expect(throws: CardDataError.invalidField("holder citizen ID", CitizenID.Problem.checkCharacter(expected: "3").description)) {
            try HolderIdentity(decoding: badCheck)
        }
    }

    @Test("endorsement and status record bodies equal the §5.4 and §5.5 examples; signatures verify")
    func records() async throws {
        let serial = Fixture.serial(1)
        let endorsement = try EndorsementRecord(
            number: 1, endorsementClass: .timely, statusSequence: 1, endorsedOn: CalendarDate(year: 2027, month: 2, day: 10)!,
            anchor: Fixture.issueDay, expiry: CalendarDate(year: 2028, month: 3, day: 1)!, station: .station("330102000002")!,
            serial: serial, signer: Fixture.authority.endorsingStation)
        #expect(endorsement.body == Self.bytes("01 01 01 00 01 20 27 02 10 20 26 03 01 20 28 03 01 33 01 02 00 00 02"))
        let encoded = endorsement.encoded(length: 95)
        #expect(encoded.count == 95)
        #expect(try EndorsementRecord.decode(encoded) == endorsement)
        let moment = Fixture.moment(Fixture.issueDay)
        #expect(await endorsement.verifySignature(serial: serial, trust: Fixture.authority.trustStore, at: moment).isPassed)
        #expect(await !endorsement.verifySignature(serial: Fixture.serial(2), trust: Fixture.authority.trustStore, at: moment).isPassed)

        let status = try StatusRecord(
            sequence: 2, change: .suspendedOverdue, effective: CalendarDate(year: 2027, month: 3, day: 2)!, station: Fixture.station,
            serial: serial, signer: Fixture.authority.issuingStation)
        #expect(status.body == Self.bytes("01 00 02 02 10 20 27 03 02 33 01 02 00 00 01"))
        #expect(try StatusRecord.decode(status.encoded(length: 87)) == status)

        // A kiosk may sign endorsements but its certificate does not make a status record valid.
        let kioskStatus = try StatusRecord(
            sequence: 2, change: .restored, effective: Fixture.issueDay, station: Fixture.kioskStation, serial: serial,
            signer: Fixture.authority.kiosk)
        #expect(await !kioskStatus.verifySignature(serial: serial, trust: Fixture.authority.trustStore, at: moment).isPassed)
    }

    @Test("residence slots: the higher sequence is current, an empty slot is none")
    func residence() throws {
        let serial = Fixture.serial(1)
        let first = try ResidenceRecord(sequence: 1, statusSequence: 1, writtenOn: Fixture.issueDay, address: Fixture.address, serial: serial,
                                        station: Fixture.station, signer: Fixture.authority.issuingStation)
        var moved = Fixture.address
        moved.text = "浙江省杭州市西湖区文三路1号"
        let second = try ResidenceRecord(sequence: 2, statusSequence: 1, writtenOn: Fixture.issueDay, address: moved, serial: serial,
                                         station: Fixture.station, signer: Fixture.authority.issuingStation)
        #expect(try ResidenceRecord.decode([UInt8](repeating: 0, count: 223)) == nil)
        let fci = try ApplicationFCI(decoding: [0x6F, 0x27, 0x8A, 0x01, 0x03, 0xA5, 0x22, 0xC1, 0x1C]
            + CardInfo(serial: serial, personalisation: nil).encoded.prefix(28) + [0xC7, 0x02, 0x01, 0x01])
        let reading = CardReading(
            serial: serial, atr: [], fci: fci, state: nil, residenceRecords: [second.encoded(length: 223), first.encoded(length: 223)])
        let current = try #require(try reading.currentResidence())
        #expect(current.slot == 1)
        #expect(current.record.address == moved.text)
        #expect(!fci.isOperational)
    }

    @Test("status codes of §5.5 map both ways", arguments: [
        StatusChange.issued, .restored, .suspendedOverdue, .suspendedByOfficer, .cancelled(.localHukou), .cancelled(.overdue),
        .replaced(.lost), .replaced(.renewed),
    ])
    func statusCodes(change: StatusChange) {
        #expect(StatusChange(status: change.status.rawValue, reason: change.reasonCode) == change)
    }
}
