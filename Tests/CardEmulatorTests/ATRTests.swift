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

    @Test("ATRs from other cards parse into their protocols and historical bytes", arguments: [
        // PC/SC contactless storage card: TD1 = 80 (T=0, TD2 follows), TD2 = 01 (T=1); 15 historical bytes (PC/SC part 3).
        ("3B8F8001804F0CA000000306030001000000006A", [0, 1], "804F0CA00000030603000100000000"),
        ("3B00", [0], ""),        // T=0 by default, no interface or historical bytes
        ("3B1096", [0], ""),      // TA1 (Fi/Di) only: still T=0, no TCK
    ])
    func others(hex: String, protocols: [Int], historical: String) throws {
        let atr = try ATR(hex: hex)
        #expect(atr.bytes == Hex.decode(hex))
        #expect(atr.protocols == protocols)
        #expect(atr.historicalBytes == Hex.decode(historical))
        #expect(atr.description == hex)
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
