import Testing
@testable import CardEmulator

@Suite("READ BINARY and UPDATE BINARY")
struct BinaryTests {
    @Test("what UPDATE BINARY writes, READ BINARY reads back")
    func roundTrip() {
        let card = demoCard()
        send(card, "00A4000C022F01")
        #expect(send(card, "00D6001004DEADBEEF").sw == 0x9000)
        #expect(send(card, "00B0000E08") == Reply(data: [0, 0, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0], sw: 0x9000))
    }

    @Test("reading at and past the end of the file")
    func endOfFile() {
        let card = demoCard()
        send(card, "00A4000C022F01")
        #expect(send(card, "00B000FA0A") == Reply(data: Array(repeating: 0, count: 6), sw: 0x6282))
        #expect(send(card, "00B000FA00") == Reply(data: Array(repeating: 0, count: 6), sw: 0x9000))
        #expect(send(card, "00B0010001") == Reply(data: [], sw: 0x6282))
        #expect(send(card, "00B0010101").sw == 0x6B00)
        #expect(send(card, "00B0000000").data.count == 256)
    }

    @Test("SFI addressing reads and writes the EF and makes it current")
    func shortIdentifier() {
        let card = demoCard()
        #expect(send(card, "00D6810302AABB").sw == 0x9000)
        #expect(card.session.currentEF == FilePath("3F00/2F01"))
        #expect(send(card, "00B0000302") == Reply(data: [0xAA, 0xBB], sw: 0x9000))
        #expect(send(card, "00B0820002").data == [0, 0])
        #expect(card.session.currentEF == FilePath("3F00/2F02"))
    }

    @Test("extended length: 4096 bytes written and read in one APDU each")
    func extendedLength() throws {
        let card = demoCard()
        let data = (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let write = try CommandAPDU(cla: 0, ins: 0xD6, p1: 0x82, p2: 0, data: data)
        #expect(write.isExtended)
        #expect(card.process(write).statusWord == .success)
        let read = send(card, "00B00000000000")
        #expect(read == Reply(data: data, sw: 0x9000))
        #expect(send(card, "00B00800000800").data == Array(data[2048...]))
    }

    @Test("refusals", arguments: [
        ("00A4000C022F01", "00D600FA0A" + repeatedHex("11", 10), 0x6A84),   // past the end
        ("00A4000C022F01", "00D6010101AA", 0x6B00),                         // offset outside
        ("00A4000C022F01", "00D60000", 0x6700),                             // no data
        ("00A4000C022F01", "00D6000001AA01", 0x6700),                       // Le on a write
        ("00A4000C022F01", "00B00000", 0x6700),                             // no Le
        ("00A4000C022F01", "00B0000001AA01", 0x6700),                       // data on a read
        ("00A4000C022F01", "00B09F0001", 0x6A86),                           // SFI 31
        ("00A4000C022F01", "00B0A10001", 0x6A86),                           // P1 b7-b6 not 00
        ("00A4000C022F01", "00B0860001", 0x6A82),                           // no SFI 6
        ("00A4000C023F00", "00B0000001", 0x6986),                           // a DF is current
        ("00A4000C022F03", "00B0000001", 0x6981),                           // a record EF
        ("00A4080C04DF010102", "00B0000001", 0x6982),                       // read never allowed
        ("00A4080C04DF010101", "00D6000001AA", 0x6982),                     // read-only file
    ] as [(String, String, UInt16)])
    func refusals(select: String, command: String, sw: UInt16) {
        let card = demoCard()
        #expect(send(card, select).sw == 0x9000)
        let before = card.state
        #expect(send(card, command).sw == sw)
        #expect(card.state == before, "a refused command changes nothing")
    }

    @Test("power-on forgets the selection but keeps the data")
    func powerOn() {
        let card = demoCard()
        send(card, "00D6810002CAFE")
        card.powerOff()
        card.powerOn()
        #expect(send(card, "00B0000002").sw == 0x6986)
        #expect(send(card, "00B0810002").data == [0xCA, 0xFE])
    }
}
