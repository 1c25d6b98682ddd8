import ISO7816
import Testing

@Suite("Command APDUs")
struct CommandAPDUTests {
    @Test("a command to send parses back from its bytes and is sent in the shortest form", arguments: [
        ("00A40000", 1, 0, 0, "00A40000"),
        ("00B0000010", 2, 0, 16, "00B0000010"),
        ("00B0000000", 2, 0, 256, "00B0000000"),
        ("00D6000003010203", 3, 3, 0, "00D6000003010203"),
        ("00A4040C03A0000000", 4, 3, 256, "00A4040C03A0000000"),
        ("00B00000000100", 2, 0, 256, "00B0000000"),          // extended Le=0100 fits the short form
        ("00B00000000000", 2, 0, 65_536, "00B00000000000"),
        ("00B00000000101", 2, 0, 257, "00B00000000101"),
    ])
    func toSend(hex: String, isoCase: Int, dataCount: Int, ne: Int, sent: String) throws {
        let command = try CommandAPDU(hex: hex)
        #expect(command.isoCase.rawValue == isoCase)
        #expect(command.data.count == dataCount)
        #expect(command.ne == ne)
        #expect(command.bytes.hexString == sent)
        #expect(try CommandAPDU(bytes: command.bytes) == command)
    }

    @Test("a received command keeps the form it arrived in (cases 1, 2S, 3S, 4S, 2E, 3E, 4E)", arguments: [
        ("00A40000", 0, 0, false),
        ("00B0000010", 0, 16, false),
        ("00B0000000", 0, 256, false),
        ("00D6000002AABB", 2, 0, false),
        ("00A4000C023F0000", 2, 256, false),
        ("00B0000000FFFF", 0, 65535, true),
        ("00B00000000000", 0, 65536, true),
        ("00B00000000100", 0, 256, true),
        ("00D60000000002AABB", 2, 0, true),
        ("00D60000000002AABB0100", 2, 256, true),
    ])
    func received(hex: String, nc: Int, ne: Int, extended: Bool) throws {
        let command = try CommandAPDU(received: [UInt8](hex: hex))
        #expect(command.data.count == nc)
        #expect(command.ne == ne)
        #expect(command.isExtended == extended)
        #expect(command.bytes.hexString == hex)
        #expect(command.neIsMaximum == (ne == 65536 || ne == 256 && !extended))
    }

    @Test("extended length encodes data over 255 bytes and Ne over 256")
    func extendedEncoding() throws {
        let data = [UInt8](repeating: 0xAB, count: 300)
        let command = try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: data, ne: 65_536)
        #expect(command.needsExtendedLength && command.isExtended)
        #expect(Array(command.bytes.prefix(7)) == [0x00, 0xD6, 0x00, 0x00, 0x00, 0x01, 0x2C])
        #expect(Array(command.bytes.suffix(2)) == [0x00, 0x00])
        #expect(command.bytes.count == 4 + 3 + 300 + 2)
        let case2 = try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: 1000)
        #expect(case2.bytes == [0x00, 0xB0, 0x00, 0x00, 0x00, 0x03, 0xE8])
        #expect(case2.expecting(256).bytes == [0x00, 0xB0, 0x00, 0x00, 0x00], "a capped Ne goes back to the short form")
        let asReceived = CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: 16, isExtended: true)
        #expect(asReceived.bytes == [0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x10])
        #expect(CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: data, isExtended: false).isExtended,
                "sizes that need the extended form get it")
    }

    @Test("malformed commands give a precise error to the station and 6700 to the card", arguments: [
        ("00A4", APDUError.commandTooShort(count: 2)),
        ("00A400", APDUError.commandTooShort(count: 3)),
        ("00A4040C05A000", APDUError.lengthMismatch(declaredLc: 5, actualBodyCount: 2)),
        ("00A4040C00", nil),
        ("00A4040C0000", APDUError.lengthMismatch(declaredLc: 0, actualBodyCount: 1)),
        ("00A4040C000002A000FF", APDUError.lengthMismatch(declaredLc: 2, actualBodyCount: 3)),
        ("00D6000003AABB", APDUError.lengthMismatch(declaredLc: 3, actualBodyCount: 2)),
        ("00D6000001AABBCCDD", APDUError.lengthMismatch(declaredLc: 1, actualBodyCount: 4)),
        ("00B0000000FF", APDUError.lengthMismatch(declaredLc: 0, actualBodyCount: 1)),
        ("00D600000000", APDUError.lengthMismatch(declaredLc: 0, actualBodyCount: 1)),
        ("00D60000000003AABB", APDUError.lengthMismatch(declaredLc: 3, actualBodyCount: 2)),
    ] as [(String, APDUError?)])
    func malformed(hex: String, expected: APDUError?) throws {
        let bytes = try [UInt8](hex: hex)
        if let expected {
            #expect(throws: expected) { try CommandAPDU(hex: hex) }
            #expect(throws: StatusWord.wrongLength) { try CommandAPDU(received: bytes) }
        } else {
            #expect(throws: Never.self) { try CommandAPDU(hex: hex) }
            #expect(throws: Never.self) { try CommandAPDU(received: bytes) }
        }
    }

    @Test("hex that is not hex names the character and its position")
    func badHex() {
        #expect(throws: APDUError.hex(.invalidCharacter("G", position: 2))) { try CommandAPDU(hex: "0G") }
    }

    @Test("sizes beyond the standard are refused")
    func limits() {
        #expect(throws: APDUError.dataTooLong(count: 65_536)) {
            try CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: [UInt8](repeating: 0, count: 65_536))
        }
        #expect(throws: APDUError.expectedLengthOutOfRange(65_537)) { try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: 65_537) }
        #expect(throws: APDUError.expectedLengthOutOfRange(-1)) { try CommandAPDU(cla: 0, ins: 0xB0, p1: 0, p2: 0, ne: -1) }
    }

    @Test("a sensitive command's data never shows in its description")
    func redactedDescription() throws {
        let verify = try CommandAPDU(cla: 0, ins: 0x20, p1: 0, p2: 0x81, data: [0x31, 0x32, 0x33, 0x34], redaction: .commandData)
        #expect(!verify.description.contains("31323334"))
        #expect(verify.description.contains("********"))
    }

    @Test("class byte: chaining, channel, secure messaging, proprietary")
    func classBits() {
        func command(_ cla: UInt8) -> CommandAPDU { CommandAPDU(cla: cla, ins: 0xB0, p1: 0, p2: 0, isExtended: false) }
        #expect(command(0x10).isChained)
        #expect(!command(0x90).isChained)
        #expect(command(0x01).logicalChannel == 1)
        #expect(command(0x41).logicalChannel == 5)
        #expect(command(0x0C).indicatesSecureMessaging)
        #expect(!command(0x00).indicatesSecureMessaging)
        #expect(command(0x80).isProprietaryClass)
    }
}
