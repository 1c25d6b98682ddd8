import ISO7816
import Testing

@Suite("Hex text")
struct HexTests {
    @Test("hex parses with separators and reports the first bad character")
    func hexParsing() throws {
        #expect(try [UInt8](hex: "00 a4:04-0C") == [0x00, 0xA4, 0x04, 0x0C])
        #expect(throws: HexError.invalidCharacter("G", position: 3)) { try [UInt8](hex: "00G4") }
        #expect(throws: HexError.oddDigitCount(3)) { try [UInt8](hex: "00A") }
        #expect([UInt8]([0x0A, 0xFF]).hexString == "0AFF")
    }

    @Test("the Hex namespace: optional parse, upper-case print")
    func hexNamespace() {
        #expect(Hex.decode("3f 00:2F") == [0x3F, 0x00, 0x2F])
        #expect(Hex.decode("3F0") == nil)
        #expect(Hex.decode("3G") == nil)
        #expect(Hex.encode([0x00, 0xAB]) == "00AB")
    }
}
