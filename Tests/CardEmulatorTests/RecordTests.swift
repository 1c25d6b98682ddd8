import Testing
@testable import CardEmulator

@Suite("READ RECORD, UPDATE RECORD, APPEND RECORD")
struct RecordTests {
    static func record(_ n: UInt8, _ length: Int = 16) -> String { Hex.encode(Array(repeating: n, count: length)) }

    @Test("linear fixed: append, read, update, and the Le rules")
    func linearFixed() {
        let card = demoCard()
        #expect(send(card, "00E2001810" + Self.record(1)).sw == 0x9000)      // SFI 3
        #expect(card.session.currentEF == FilePath("3F00/2F03"))
        #expect(card.session.currentRecord == 1)
        #expect(send(card, "00E2000010" + Self.record(2)).sw == 0x9000)      // current EF
        #expect(send(card, "00B2011C10") == Reply(data: Array(repeating: 1, count: 16), sw: 0x9000))
        #expect(send(card, "00B2011C00").data == Array(repeating: 1, count: 16))
        #expect(send(card, "00B2011C08").sw == 0x6C10)
        #expect(send(card, "00B2011C20").data.count == 16)
        #expect(send(card, "00B2031C10").sw == 0x6A83)
        #expect(send(card, "00DC021C10" + Self.record(9)).sw == 0x9000)
        #expect(send(card, "00B2000410").data == Array(repeating: 9, count: 16))   // P1=00: current record
        #expect(send(card, "00DC031C10" + Self.record(9)).sw == 0x6A83)
        #expect(send(card, "00E200180F" + Self.record(3, 15)).sw == 0x6700)
    }

    @Test("a full linear file refuses APPEND with 6A84")
    func full() {
        let card = demoCard()
        for n in 1...10 { #expect(send(card, "00E2001810" + Self.record(UInt8(n))).sw == 0x9000) }
        #expect(send(card, "00E2001810" + Self.record(11)).sw == 0x6A84)
    }

    @Test("all records from P1, to the last or from the last, answered in parts past Ne")
    func allRecords() {
        let card = demoCard()
        for n in 1...10 { send(card, "00E2001810" + Self.record(UInt8(n))) }
        let all = (1...10).flatMap { Array(repeating: UInt8($0), count: 16) }
        #expect(send(card, "00B2081D00") == Reply(data: Array(all[(7 * 16)...]), sw: 0x9000))
        #expect(send(card, "00B2091E00").data == Array(repeating: 10, count: 16) + Array(repeating: 9, count: 16))
        #expect(send(card, "00B2011D40") == Reply(data: Array(all.prefix(64)), sw: 0x6160))
        #expect(send(card, "00C0000000") == Reply(data: Array(all[64...]), sw: 0x9000))
    }

    @Test("an answer longer than a vpcd frame holds is continued with 61xx")
    func longestAnswer() throws {
        var state = CardState.demo()
        let records = (0..<5).map { n in Array(repeating: UInt8(n), count: 20_000) }
        try state.fileSystem.create(CardFile(
            path: FilePath("3F00/2F09")!, shortID: 9,
            content: .records(RecordFile(structure: .linearFixed, maxRecordLength: 20_000, maxRecords: 5, records: records)),
            access: .free))
        let card = EmulatedCard(state: state)
        card.powerOn()
        let first = card.transmit(Hex.decode("00B2014D000000")!)   // all records from 1, Ne = 65536
        #expect(first.count == 65535)
        #expect(first.suffix(2) == [0x61, 0x00])
        let rest = send(card, "00C00000000000")
        #expect(rest.sw == 0x9000)
        #expect(Array(first.dropLast(2)) + rest.data == records.flatMap { $0 })
    }

    @Test("first, last, next and previous")
    func navigation() {
        let card = demoCard()
        for n in 1...3 { send(card, "00E2001810" + Self.record(UInt8(n))) }
        #expect(send(card, "00B2001800").data.first == 1)
        #expect(send(card, "00B2001A00").data.first == 2)
        #expect(send(card, "00B2001A00").data.first == 3)
        #expect(send(card, "00B2001A00").sw == 0x6A83)
        #expect(send(card, "00B2001900").data.first == 3)
        #expect(send(card, "00B2001B00").data.first == 2)
        #expect(send(card, "00B2011800").sw == 0x6A81)    // record identifiers are not supported
    }

    @Test("cyclic: record 1 is the newest and the oldest falls off")
    func cyclic() {
        let card = demoCard()
        for n in 1...6 { #expect(send(card, "00E2002008" + Self.record(UInt8(n), 8)).sw == 0x9000) }
        #expect(send(card, "00B2012400").data == Array(repeating: 6, count: 8))
        #expect(send(card, "00B2052400").data == Array(repeating: 2, count: 8))
        #expect(send(card, "00B2062400").sw == 0x6A83)
        #expect(send(card, "00DC012408" + Self.record(7, 8)).sw == 0x9000)
        #expect(send(card, "00B2012400").data == Array(repeating: 7, count: 8))
    }

    @Test("linear variable: records of any length up to the maximum")
    func linearVariable() {
        let card = demoCard()
        #expect(send(card, "00E2002803AABBCC").sw == 0x9000)
        #expect(send(card, "00E2002820" + Self.record(5, 32)).sw == 0x9000)
        #expect(send(card, "00E2002821" + Self.record(5, 33)).sw == 0x6700)
        #expect(send(card, "00B2012C00") == Reply(data: [0xAA, 0xBB, 0xCC], sw: 0x9000))
        #expect(send(card, "00B2022C00").data.count == 32)
        #expect(send(card, "00DC012C01EE").sw == 0x9000)
        #expect(send(card, "00B2012C00").data == [0xEE])
    }

    @Test("refusals", arguments: [
        ("00B2011C", 0x6700),               // no Le
        ("00B2011F00", 0x6A86),             // mode 7
        ("00B201FC00", 0x6A86),             // SFI 31
        ("00B2013400", 0x6A82),             // no SFI 6
        ("00B2010C00", 0x6981),             // SFI 1 is transparent
        ("00E2011810" + String(repeating: "00", count: 16), 0x6A86),  // APPEND with P1 != 0
        ("00E2001910" + String(repeating: "00", count: 16), 0x6A86),  // APPEND with P2 mode bits
        ("00DC011810" + String(repeating: "00", count: 16), 0x6A86),  // UPDATE mode other than P1
        ("00DC011C", 0x6700),               // UPDATE without data
        ("00B2011C00", 0x6A83),             // empty file
        ("00B2001C00", 0x6A83),             // no current record
    ] as [(String, UInt16)])
    func refusals(command: String, sw: UInt16) {
        let card = demoCard()
        let before = card.state
        #expect(send(card, command).sw == sw)
        #expect(card.state == before)
    }

    @Test("access rules apply to records")
    func access() throws {
        var state = CardState.demo()
        try state.fileSystem.create(CardFile(
            path: FilePath("3F00/2F06")!, shortID: 6,
            content: .records(RecordFile(structure: .linearFixed, maxRecordLength: 2, maxRecords: 2, records: [[1, 2]])),
            access: AccessRules([.read: .always, .update: .never])))
        let card = EmulatedCard(state: state)
        card.powerOn()
        #expect(send(card, "00B2013400").data == [1, 2])
        #expect(send(card, "00DC01340203 04").sw == 0x6982)
        #expect(send(card, "00E200300203 04").sw == 0x6982)
    }
}
