import Testing
@testable import CardEmulator

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
