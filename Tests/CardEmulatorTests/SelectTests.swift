import Testing
@testable import CardEmulator

@Suite("SELECT")
struct SelectTests {
    static let mfFCP: [UInt8] = [0x82, 0x01, 0x38, 0x83, 0x02, 0x3F, 0x00, 0x8A, 0x01, 0x05]

    @Test("select the MF with no response data, with FCI and with FCP")
    func masterFile() {
        let card = demoCard()
        #expect(send(card, "00A4000C023F00") == Reply(data: [], sw: 0x9000))
        #expect(send(card, "00A4000C") == Reply(data: [], sw: 0x9000))
        #expect(send(card, "00A4000002 3F00 00") == Reply(data: [0x6F, 0x0A] + Self.mfFCP, sw: 0x9000))
        #expect(send(card, "00A4000402 3F00 00") == Reply(data: [0x62, 0x0A] + Self.mfFCP, sw: 0x9000))
    }

    @Test("FCI of EFs describes size, structure, FID and SFI")
    func elementaryFCI() {
        let card = demoCard()
        #expect(send(card, "00A4000402 2F01 00").data
            == [0x62, 0x11, 0x80, 0x02, 0x01, 0x00, 0x82, 0x01, 0x01, 0x83, 0x02, 0x2F, 0x01, 0x88, 0x01, 0x08, 0x8A, 0x01, 0x05])
        #expect(send(card, "00A4000402 2F03 00").data
            == [0x62, 0x11, 0x82, 0x05, 0x02, 0x21, 0x00, 0x10, 0x00, 0x83, 0x02, 0x2F, 0x03, 0x88, 0x01, 0x18, 0x8A, 0x01, 0x05])
        let df = send(card, "00A4000002 DF01 00").data
        #expect(df.starts(with: [0x6F, 0x15, 0x82, 0x01, 0x38, 0x83, 0x02, 0xDF, 0x01, 0x84, 0x09] + CardState.demoApplicationID))
    }

    @Test("FCI asked for without Le is announced with 61xx and fetched with GET RESPONSE")
    func fciWithoutLe() {
        let card = demoCard()
        #expect(send(card, "00A40000023F00") == Reply(data: [], sw: 0x610C))
        #expect(send(card, "00C0000004") == Reply(data: [0x6F, 0x0A, 0x82, 0x01], sw: 0x6108))
        #expect(send(card, "00C0000008") == Reply(data: Array(Self.mfFCP.dropFirst(2)), sw: 0x9000))
        #expect(send(card, "00C0000008").sw == 0x6985)
    }

    @Test("P1=00 finds a child, the parent and a child of the parent")
    func byIdentifier() {
        let card = demoCard()
        #expect(send(card, "00A4000C02DF01").sw == 0x9000)
        #expect(send(card, "00A4000C020101").sw == 0x9000)
        #expect(card.session.currentEF == FilePath("3F00/DF01/0101"))
        #expect(send(card, "00A4000C022F01").sw == 0x9000)        // a child of the parent DF
        #expect(card.session.currentDF == .masterFile)
        #expect(send(card, "00A4000C02DF01").sw == 0x9000)
        #expect(send(card, "00A4000C02DF01").sw == 0x9000)        // the current DF itself
        #expect(send(card, "00A4000C023F00").sw == 0x9000)
        #expect(card.session.currentEF == nil)
    }

    @Test("P1=01 selects only DFs and P1=02 only EFs")
    func childKinds() {
        let card = demoCard()
        #expect(send(card, "00A4010C02DF01").sw == 0x9000)
        #expect(send(card, "00A4000C023F00").sw == 0x9000)
        #expect(send(card, "00A4010C022F01").sw == 0x6A82)
        #expect(send(card, "00A4020C02DF01").sw == 0x6A82)
        #expect(send(card, "00A4020C022F01").sw == 0x9000)
    }

    @Test("P1=03 selects the parent DF")
    func parent() {
        let card = demoCard()
        #expect(send(card, "00A4030C").sw == 0x6A82)
        send(card, "00A4080C04DF010101")
        #expect(send(card, "00A4030C").sw == 0x9000)
        #expect(card.session.currentDF == .masterFile)
        #expect(send(card, "00A4030C02DF01").sw == 0x6700)
    }

    @Test("P1=04 selects by full or partial DF name; P2=02 finds the next one")
    func byName() {
        let card = demoCard()
        #expect(send(card, "00A4040C09D15600009944454D4F").sw == 0x9000)
        #expect(card.session.currentDF == FilePath("3F00/DF01"))
        send(card, "00A4000C023F00")
        #expect(send(card, "00A4040C03D15600").sw == 0x9000)
        #expect(card.session.currentDF == FilePath("3F00/DF01"))
        #expect(send(card, "00A4040E03D15600").sw == 0x6A82)       // no next occurrence
        #expect(send(card, "00A4040C05A000000003").sw == 0x6A82)
        #expect(send(card, "00A4040C").sw == 0x6700)
        #expect(send(card, "00A4040C11" + repeatedHex("D1", 17)).sw == 0x6700)
    }

    @Test("P1=08 selects by path from the MF and P1=09 from the current DF")
    func byPath() {
        let card = demoCard()
        #expect(send(card, "00A4080C04DF010102").sw == 0x9000)
        #expect(card.session.currentEF == FilePath("3F00/DF01/0102"))
        #expect(send(card, "00A4080C063F00DF010101").sw == 0x9000)
        #expect(card.session.currentEF == FilePath("3F00/DF01/0101"))
        #expect(send(card, "00A4080C04DF010199").sw == 0x6A82)
        #expect(send(card, "00A4080C03DF0101").sw == 0x6700)
        send(card, "00A4000C023F00")
        #expect(send(card, "00A4090C02DF01").sw == 0x9000)
        #expect(send(card, "00A4090C020101").sw == 0x9000)
        #expect(send(card, "00A4090C02DF01").sw == 0x6A82)
    }

    @Test("refusals", arguments: [
        ("00A4000C02EEEE", 0x6A82),
        ("00A4000C033F0000", 0x6700),
        ("00A4050C023F00", 0x6A86),
        ("00A40008023F00", 0x6A86),   // FMD not supported
        ("00A40001023F00", 0x6A86),   // last occurrence
        ("00A40002023F00", 0x6A86),   // next occurrence is for DF names only
        ("00A40010023F00", 0x6A86),
    ] as [(String, UInt16)])
    func refusals(hex: String, sw: UInt16) {
        let card = demoCard()
        send(card, "00A4000C022F01")
        #expect(send(card, hex).sw == sw)
        #expect(card.session.currentEF == FilePath("3F00/2F01"), "a refused SELECT keeps the selection")
    }
}
