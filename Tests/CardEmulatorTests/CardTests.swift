import Testing
@testable import CardEmulator

@Suite("GET CHALLENGE, GET RESPONSE, classes and instructions")
struct CardTests {
    @Test("GET CHALLENGE returns Ne fresh bytes and keeps them as the session's challenge")
    func challenge() {
        let card = demoCard()
        let first = send(card, "0084000008")
        #expect(first.sw == 0x9000)
        #expect(first.data.count == 8)
        #expect(card.session.challenge == first.data)
        let second = send(card, "0084000010")
        #expect(second.data.count == 16)
        #expect(second.data.prefix(8) != first.data[...])
        card.powerOn()
        #expect(card.session.challenge == nil, "power-on forgets the challenge")
    }

    @Test("GET CHALLENGE refusals", arguments: [
        ("0084010008", 0x6A86),
        ("00840000", 0x6700),
        ("00840000000200", 0x6700),   // extended Le 512
    ] as [(String, UInt16)])
    func challengeRefusals(hex: String, sw: UInt16) {
        let card = demoCard()
        #expect(send(card, hex).sw == sw)
        #expect(card.session.challenge == nil)
    }

    @Test("GET RESPONSE with nothing pending, with bad P1-P2, and after another command")
    func getResponse() {
        let card = demoCard()
        #expect(send(card, "00C0000010").sw == 0x6985)
        #expect(send(card, "00A40000023F00").sw == 0x610C)
        #expect(send(card, "00C0010000").sw == 0x6A86)
        #expect(send(card, "00C0000000").data.count == 12, "a refused GET RESPONSE keeps the pending data")
        #expect(send(card, "00A40000023F00").sw == 0x610C)
        send(card, "00A4000C023F00")
        #expect(send(card, "00C0000000").sw == 0x6985, "another command drops the pending data")
        #expect(send(card, "00A40000023F00").sw == 0x610C)
        #expect(send(card, "01C0000000").sw == 0x6881, "GET RESPONSE on another logical channel")
        #expect(send(card, "00C0000000").sw == 0x6985)
    }

    @Test("classes and instructions the card does not support", arguments: [
        ("FFA4000C023F00", 0x6E00),   // reserved for PPS
        ("80CA000000", 0x6E00),       // proprietary class without an applet
        ("01A4000C023F00", 0x6881),   // logical channel 1
        ("41A4000C023F00", 0x6881),   // logical channel 5
        ("0CB0000004", 0x6882),       // secure messaging without an applet to unwrap it
        ("0020000100", 0x6D00),       // VERIFY without an applet
        ("00B10000", 0x6D00),         // odd READ BINARY
        ("00A4", 0x6700),             // too short
        ("00A4000C", 0x9000),
    ] as [(String, UInt16)])
    func unsupported(hex: String, sw: UInt16) {
        #expect(send(demoCard(), hex).sw == sw)
    }
}

@Suite("Command chaining")
struct ChainingTests {
    @Test("chained parts are joined into one command")
    func joined() {
        let card = demoCard()
        send(card, "00A4000C022F01")
        #expect(send(card, "10D6000002AABB").sw == 0x9000)
        #expect(card.state == CardState.demo(), "nothing is written before the last part")
        #expect(send(card, "10D6000002CCDD").sw == 0x9000)
        #expect(send(card, "00D6000001EE").sw == 0x9000)
        #expect(send(card, "00B0000006").data == [0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0x00])
    }

    @Test("a chain of short APDUs writes 4096 bytes")
    func long() {
        let card = demoCard()
        let data = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let parts = stride(from: 0, to: data.count, by: 255).map { Array(data[$0..<min($0 + 255, data.count)]) }
        for (i, part) in parts.enumerated() {
            let cla: UInt8 = i == parts.count - 1 ? 0x00 : 0x10
            #expect(card.process(CommandAPDU(cla: cla, ins: 0xD6, p1: 0x82, p2: 0, data: part, isExtended: false)).statusWord == .success)
        }
        #expect(send(card, "00B00000000000").data == data)
    }

    @Test("a different command in the middle of a chain is refused with 6883 and the chain dropped")
    func broken() {
        let card = demoCard()
        send(card, "00A4000C022F01")
        #expect(send(card, "10D6000002AABB").sw == 0x9000)
        #expect(send(card, "00B0000002").sw == 0x6883)
        #expect(send(card, "00B0000002").data == [0, 0])
        #expect(send(card, "10D6000002AABB").sw == 0x9000)
        #expect(send(card, "00D6000102CCDD").sw == 0x6883, "P1-P2 must stay the same")
        #expect(send(card, "10D6000002AABB").sw == 0x9000)
        #expect(send(card, "90D6000002CCDD").sw == 0x6883, "a proprietary class does not continue an interindustry chain")
    }

    @Test("a chain longer than 65535 bytes is refused with 6700")
    func tooLong() {
        let card = demoCard()
        let part = CommandAPDU(cla: 0x10, ins: 0xD6, p1: 0, p2: 0, data: Array(repeating: 1, count: 32768), isExtended: false)
        #expect(card.process(part).statusWord == .success)
        #expect(card.process(part).statusWord == .wrongLength)
    }
}
