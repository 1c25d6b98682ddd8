import Testing
@testable import SmartCard

@Suite("APDU values")
struct APDUValueTests {
    @Test("every ISO case encodes and parses back", arguments: [
        ("00A40000", 1, 0, 0),
        ("00B0000010", 2, 0, 16),
        ("00B0000000", 2, 0, 256),
        ("00D6000003010203", 3, 3, 0),
        ("00A4040C03A0000000", 4, 3, 256),
        ("00B00000000100", 2, 0, 256 * 1),  // extended Le=0100 -> 256, but re-encodes short
        ("00B00000000000", 2, 0, 65_536),
        ("00B00000000101", 2, 0, 257),
    ])
    func encodeParse(hex: String, isoCase: Int, dataCount: Int, ne: Int) throws {
        let command = try CommandAPDU(hex: hex)
        #expect(command.isoCase.rawValue == isoCase)
        #expect(command.data.count == dataCount)
        #expect(command.ne == ne)
        #expect(try CommandAPDU(bytes: command.encoded) == command)
    }

    @Test("extended length encodes data over 255 bytes and Ne over 256")
    func extendedEncoding() throws {
        let data = [UInt8](repeating: 0xAB, count: 300)
        let command = try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: data, ne: 65_536)
        #expect(command.needsExtendedLength)
        #expect(Array(command.encoded.prefix(7)) == [0x00, 0xD6, 0x00, 0x00, 0x00, 0x01, 0x2C])
        #expect(Array(command.encoded.suffix(2)) == [0x00, 0x00])
        #expect(command.encoded.count == 4 + 3 + 300 + 2)
        let case2 = try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: 1000)
        #expect(case2.encoded == [0x00, 0xB0, 0x00, 0x00, 0x00, 0x03, 0xE8])
    }

    @Test("malformed commands give a precise error", arguments: [
        ("00A4", APDUError.commandTooShort(count: 2)),
        ("00A4040C05A000", APDUError.lengthMismatch(declaredLc: 5, actualBodyCount: 2)),
        ("00A4040C00", nil),
        ("00A4040C0000", APDUError.lengthMismatch(declaredLc: 0, actualBodyCount: 1)),
        ("00A4040C000002A000FF", APDUError.lengthMismatch(declaredLc: 2, actualBodyCount: 3)),
        ("0G", APDUError.hex(.invalidCharacter("G", position: 2))),
    ] as [(String, APDUError?)])
    func malformed(hex: String, expected: APDUError?) {
        if let expected {
            #expect(throws: expected) { try CommandAPDU(hex: hex) }
        } else {
            #expect(throws: Never.self) { try CommandAPDU(hex: hex) }
        }
    }

    @Test("sizes beyond the standard are refused")
    func limits() {
        #expect(throws: APDUError.dataTooLong(count: 65_536)) {
            try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: [UInt8](repeating: 0, count: 65_536))
        }
        #expect(throws: APDUError.expectedLengthOutOfRange(65_537)) { try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: 65_537) }
    }

    @Test("a sensitive command's data never shows in its description")
    func redactedDescription() throws {
        let verify = try CommandAPDU(cla: 0, ins: 0x20, p1: 0, p2: 0x81, data: [0x31, 0x32, 0x33, 0x34], redaction: .commandData)
        #expect(!verify.description.contains("31323334"))
        #expect(verify.description.contains("********"))
    }
}
