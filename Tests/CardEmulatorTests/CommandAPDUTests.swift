import Testing
@testable import CardEmulator

@Suite("Command APDU parsing (ISO 7816-3 cases)")
struct CommandAPDUTests {
    @Test("case 1, 2S, 3S, 4S, 2E, 3E, 4E", arguments: [
        ("00A40000", 0, 0, false),
        ("00B0000010", 0, 16, false),
        ("00B0000000", 0, 256, false),
        ("00D6000002AABB", 2, 0, false),
        ("00A4000C023F0000", 2, 256, false),
        ("00B0000000FFFF", 0, 65535, true),
        ("00B00000000000", 0, 65536, true),
        ("00D60000000002AABB", 2, 0, true),
        ("00D60000000002AABB0100", 2, 256, true),
    ])
    func cases(hex: String, nc: Int, ne: Int, extended: Bool) throws {
        let command = try CommandAPDU(bytes: Hex.decode(hex)!)
        #expect(command.data.count == nc)
        #expect(command.ne == ne)
        #expect(command.isExtended == extended)
        #expect(Hex.encode(command.bytes) == hex)
    }

    @Test("length fields that do not match the bytes are 6700", arguments: [
        "00A400", "00D6000003AABB", "00D6000001AABBCCDD", "00B0000000FF", "00D600000000", "00D60000000003AABB",
    ])
    func wrongLength(hex: String) {
        #expect(throws: StatusWord.wrongLength) { try CommandAPDU(bytes: Hex.decode(hex)!) }
    }

    @Test("class byte: chaining, channel, secure messaging, proprietary")
    func classBits() {
        let chained = CommandAPDU(cla: 0x10, ins: 0xD6, p1: 0, p2: 0)
        #expect(chained.isChained)
        #expect(CommandAPDU(cla: 0x01, ins: 0xA4, p1: 0, p2: 0).logicalChannel == 1)
        #expect(CommandAPDU(cla: 0x41, ins: 0xA4, p1: 0, p2: 0).logicalChannel == 5)
        #expect(CommandAPDU(cla: 0x0C, ins: 0xB0, p1: 0, p2: 0).indicatesSecureMessaging)
        #expect(!CommandAPDU(cla: 0x00, ins: 0xB0, p1: 0, p2: 0).indicatesSecureMessaging)
        #expect(CommandAPDU(cla: 0x80, ins: 0x50, p1: 0, p2: 0).isProprietaryClass)
        #expect(!CommandAPDU(cla: 0x90, ins: 0x50, p1: 0, p2: 0).isChained)
    }
}

@Suite("Answer-to-Reset")
struct ATRTests {
    @Test("the default ATR is valid ISO 7816-3, T=1 only, announcing chaining and extended length")
    func standard() throws {
        let atr = try ATR(bytes: ATR.standard.bytes)
        #expect(atr.protocols == [1, 1])
        #expect(atr.historicalBytes.prefix(5) == [0x80, 0x73, 0xF6, 0x21, 0xC0])
        #expect(atr.bytes.dropFirst().reduce(0, ^) == 0)
    }

    @Test("ATRs from other cards validate", arguments: [
        "3B8F8001804F0CA000000306030001000000006A",   // PC/SC contactless storage card (T=1 by TD2)
        "3B00",                                           // T=0, no interface or historical bytes
        "3B1096",                                         // T=0 with TA1 (Fi/Di)
    ])
    func others(hex: String) throws {
        _ = try ATR(hex: hex)
    }

    @Test("invalid ATRs are refused with the reason")
    func invalid() {
        #expect(throws: ATRError.badInitialCharacter(0x3C)) { try ATR(hex: "3C00") }
        #expect(throws: ATRError.badCheckCharacter) { try ATR(hex: "3B8E8131FE458073F621C0585053544E2D454D5551") }
        #expect(throws: ATRError.truncated(expected: 5, actual: 4)) { try ATR(hex: "3B038000") }
        #expect(throws: ATRError.trailingBytes(expected: 2, actual: 3)) { try ATR(hex: "3B0000") }
        #expect(throws: ATRError.truncated(expected: 3, actual: 2)) { try ATR(hex: "3B80") }
        #expect(throws: ATRError.badLength(1)) { try ATR(hex: "3B") }
        #expect(throws: ATRError.notHex("XY")) { try ATR(hex: "XY") }
    }
}
