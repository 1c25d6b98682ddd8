import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

/// CARD-SPEC §7.16: once operational, the card refuses record writes that break §5-§6.
@Suite("Card-side consistency checks")
struct ConsistencyTests {
    /// A terminal in front of an issued zhejiang card, authenticated as an issuing station.
    static func issuingSession() throws -> Terminal {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        return terminal
    }

    static func with(_ record: [UInt8], byte index: Int, set value: UInt8) -> [UInt8] {
        var changed = record
        changed[index] = value
        return changed
    }

    @Test("status records: format 01, status 01-04, sequence = newest + 1, else 6A80 and nothing written", arguments: [
        with(Records.status(sequence: 2, status: 0x02, reason: 0x11), byte: 0, set: 0x02),
        Records.status(sequence: 2, status: 0x05, reason: 0x00),
        Records.status(sequence: 2, status: 0x00, reason: 0x00),
        Records.status(sequence: 1, status: 0x02, reason: 0x11),
        Records.status(sequence: 3, status: 0x02, reason: 0x11),
    ])
    func statusRecords(record: [UInt8]) throws {
        let terminal = try Self.issuingSession()
        let before = terminal.card.state
        #expect(terminal.appendRecord(.status, record).sw == 0x6A80)
        #expect(terminal.card.state == before)
    }

    @Test("status sequence numbers rise by one per change; the cyclic file keeps the newest as record 1")
    func statusSequence() throws {
        let terminal = try Self.issuingSession()
        #expect(terminal.appendRecord(.status, Records.status(sequence: 2, status: 0x02, reason: 0x11)).sw == 0x9000)
        #expect(terminal.appendRecord(.status, Records.status(sequence: 3, status: 0x01, reason: 0x01)).sw == 0x9000)
        #expect(terminal.appendRecord(.status, Records.status(sequence: 4, status: 0x02, reason: 0x10)).sw == 0x9000)
        #expect(terminal.state.status == Records.status(sequence: 4, status: 0x02, reason: 0x10))
        #expect(terminal.readRecords(.status).data
            == Records.status(sequence: 4, status: 0x02, reason: 0x10) + Records.status(sequence: 3, status: 0x01, reason: 0x01))
    }

    @Test("after cancellation or voiding nothing more is written: status and endorsements answer 6985", arguments: [
        (UInt8(0x03), UInt8(0x20)), (UInt8(0x04), UInt8(0x30)),
    ])
    func finalStatus(status: UInt8, reason: UInt8) throws {
        let terminal = try Self.issuingSession()
        #expect(terminal.appendRecord(.status, Records.status(sequence: 2, status: status, reason: reason)).sw == 0x9000)
        let before = terminal.card.state
        #expect(terminal.appendRecord(.status, Records.status(sequence: 3, status: 0x01, reason: 0x01)).sw == 0x6985)
        #expect(terminal.appendRecord(.endorsements, Records.endorsement(number: 1, statusSequence: 2)).sw == 0x6985)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 2, statusSequence: 2)).sw == 0x6985)
        #expect(terminal.card.state == before)
    }

    @Test("endorsements: format 01, number = records + 1, class 01-03, status sequence = the newest status's, else 6A80", arguments: [
        with(Records.endorsement(number: 1, statusSequence: 1), byte: 0, set: 0x00),
        Records.endorsement(number: 2, statusSequence: 1),
        Records.endorsement(number: 0, statusSequence: 1),
        Records.endorsement(number: 1, statusSequence: 1, kind: 0x04),
        Records.endorsement(number: 1, statusSequence: 1, kind: 0x00),
        Records.endorsement(number: 1, statusSequence: 2),
        Records.endorsement(number: 1, statusSequence: 0),
    ])
    func endorsementRecords(record: [UInt8]) throws {
        let terminal = try Self.issuingSession()
        let before = terminal.card.state
        #expect(terminal.appendRecord(.endorsements, record).sw == 0x6A80)
        #expect(terminal.card.state == before)
    }

    @Test("endorsements append up to the file's record count, then 6A84")
    func endorsementsFull() throws {
        let terminal = try Self.issuingSession()
        guard case .linearFixed(_, let count) = terminal.profile.file(holding: .endorsements).structure else {
            Issue.record("EF.ENDORSE is linear fixed")
            return
        }
        for number in 1...count {
            #expect(terminal.appendRecord(.endorsements, Records.endorsement(number: number, statusSequence: 1)).sw == 0x9000)
        }
        #expect(terminal.appendRecord(.endorsements, Records.endorsement(number: count + 1, statusSequence: 1)).sw == 0x6A84)
        #expect(terminal.readRecords(.endorsements).data.count == count * 95)
    }

    @Test("an address change writes the other slot with sequence + 1 and the newest status sequence; the current slot answers 6985")
    func residenceSlots() throws {
        let terminal = try Self.issuingSession()
        let before = terminal.card.state
        #expect(terminal.updateRecord(.residence, record: 1, Records.residence(sequence: 2)).sw == 0x6985)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 3)).sw == 0x6A80)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 1)).sw == 0x6A80)
        #expect(terminal.updateRecord(.residence, record: 2, Self.with(Records.residence(sequence: 2), byte: 0, set: 0x01)).sw == 0x6A80)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 2, statusSequence: 2)).sw == 0x6A80)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 2, statusSequence: 0)).sw == 0x6A80)
        #expect(terminal.card.state == before)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 2, address: "杭州市西湖区")).sw == 0x9000)
        // Now slot 2 is current: the next change goes to slot 1.
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 3)).sw == 0x6985)
        #expect(terminal.updateRecord(.residence, record: 1, Records.residence(sequence: 3)).sw == 0x9000)
    }

    @Test("a record of the wrong length is refused with 6700")
    func wrongLength() throws {
        let terminal = try Self.issuingSession()
        #expect(terminal.appendRecord(.status, Array(Records.status(sequence: 2, status: 0x02, reason: 0x11).dropLast())).sw == 0x6700)
        #expect(terminal.updateRecord(.residence, record: 2, Records.residence(sequence: 2) + [0]).sw == 0x6700)
    }
}
