import ISO7816
import Testing
@testable import CardSecurity

@Suite("Secure messaging")
struct SecureMessagingTests {
    static let updateBinary = CommandAPDU(cla: 0x00, ins: 0xD6, p1: 0x81, p2: 0x00, data: Vectors.bytes("0102030405"), isExtended: false)
    static let readBinary = CommandAPDU(cla: 0x00, ins: 0xB0, p1: 0x00, p2: 0x00, ne: 16, isExtended: false)
    static let verifyPIN = CommandAPDU(cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x81, data: Array("1234".utf8), isExtended: false)

    static let externalAuthenticate = CommandAPDU(
        cla: 0x00, ins: 0x82, p1: 0x01, p2: 0x01, data: Vectors.bytes("455C65A465EED809463F1484EE019E95"), ne: 16, isExtended: false)
    static let readHolder = CommandAPDU(cla: 0x00, ins: 0xB0, p1: 0x82, p2: 0x00, ne: 16, isExtended: false)

    /// docs/CARD-SECURITY.md vector V4: three protected exchanges after the V2 chip authentication, every
    /// data field encrypted (protocol v2).
    @Test func exchangeVector() throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)

        let c1 = try terminal.protect(Self.externalAuthenticate, encrypt: true)
        #expect(c1.apdu.bytes.hexString == "0C820101308721014EC6DBD8C7F2E79DEEBA09A1F2815900ED72E35D78B9E9610ABD3BABF9A118569701108E08CAD64FE62EB7F53E00")
        #expect(try card.unprotect(ProtectedCommand(apdu: c1.apdu.bytes)).command == Self.externalAuthenticate)
        let cardCryptogram = Vectors.bytes("AA9246454CE618D6FDB50DDF847F43D1")
        let r1 = try card.protect(ResponseAPDU(data: cardCryptogram, statusWord: 0x9000), encrypt: true)
        #expect(r1.hexString == "872101B1B54A9DB30433A073F8E9AEDCF4E3B104D1928F4F844E81D6793BEB8535836D990290008E0847F89FABF3C1A4F29000")
        #expect(try terminal.unprotect(response: r1) == ResponseAPDU(data: cardCryptogram, statusWord: 0x9000))

        let c2 = try terminal.protect(Self.readHolder)
        #expect(c2.apdu.bytes.hexString == "0CB082000D9701108E085025C2DAD41D1DCC00")
        #expect(try card.unprotect(c2).command == Self.readHolder)
        let data = Array(UInt8(0)...UInt8(15))
        let r2 = try card.protect(ResponseAPDU(data: data, statusWord: 0x9000), encrypt: true)
        #expect(r2.hexString == "872101D26E7A4C50AB5172A6099DB8ED201CEBD0D198E0E5877C847835C795D16737E0990290008E08C44E64A9463001DA9000")
        #expect(try terminal.unprotect(response: r2) == ResponseAPDU(data: data, statusWord: 0x9000))

        let c3 = try terminal.protect(Self.verifyPIN, encrypt: true)
        #expect(c3.apdu.bytes.hexString == "0C2000811D871101A19C78CCD12386D3BD3F8E19FBA1B3428E08F7A4FE7EFD62C01000")
        let unwrapped = try card.unprotect(c3)
        #expect(unwrapped.command == Self.verifyPIN)
        #expect(unwrapped.wasEncrypted)
        let r3 = try card.protect(ResponseAPDU(statusWord: 0x63C2), encrypt: true)
        #expect(r3.hexString == "990263C28E08E1ADAE112DD70EE89000")
        #expect(try terminal.unprotect(response: r3).statusWord == 0x63C2)
    }

    @Test(arguments: [false, true])
    func roundTripOfLongDataUsesExtendedLength(encrypt: Bool) throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        let payload = (0..<600).map { UInt8($0 & 0xFF) }
        let command = try CommandAPDU(cla: 0x00, ins: 0xD6, p1: 0, p2: 0, data: payload, ne: 1000)
        let apdu = try terminal.protect(command, encrypt: encrypt).apdu.bytes
        #expect(apdu[4] == 0x00)
        #expect(try card.unprotect(ProtectedCommand(apdu: apdu)).command == command)
        let response = ResponseAPDU(data: payload.reversed(), statusWord: 0x9000)
        #expect(try terminal.unprotect(response: card.protect(response, encrypt: encrypt)) == response)
    }

    /// A short command whose protected answer may exceed 256 bytes gets an extended Le.
    @Test(arguments: [(223, false), (224, true), (1280, true)])
    func longAnswersAskForExtendedLength(expected: Int, extended: Bool) throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        let command = try CommandAPDU(cla: 0x00, ins: 0xB0, p1: 0x87, p2: 0x00, ne: expected)
        let apdu = try terminal.protect(command).apdu.bytes
        #expect(apdu[4] == 0x00 ? extended : !extended)
        #expect(Array(apdu.suffix(extended ? 2 : 1)) == (extended ? [0x00, 0x00] : [0x00]))
        #expect(try ProtectedCommand(apdu: apdu).apdu.bytes == apdu)
        #expect(try card.unprotect(ProtectedCommand(apdu: apdu)).command == command)
        let answer = try card.protect(ResponseAPDU(data: Array(repeating: 0x5A, count: expected), statusWord: 0x9000), encrypt: true)
        #expect(answer.count - 2 <= 256 || extended)
        #expect(try terminal.unprotect(response: answer).data.count == expected)
    }

    @Test func aReplayedCommandIsRejectedAndClosesTheSession() throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        let recorded = try terminal.protect(Self.updateBinary).apdu.bytes
        _ = try card.unprotect(ProtectedCommand(apdu: recorded))
        _ = try terminal.unprotect(response: card.protect(ResponseAPDU(statusWord: 0x9000)))

        #expect(throws: CardSecurityError.secureMessagingMACMismatch) {
            try card.unprotect(ProtectedCommand(apdu: recorded))
        }
        #expect(!card.isOpen)
        let next = try terminal.protect(Self.readBinary)
        #expect(throws: CardSecurityError.secureMessagingClosed) { try card.unprotect(next) }
    }

    @Test func aCommandRecordedInAnEarlierSessionIsRejected() throws {
        var old = SecureMessagingChannel(keys: Vectors.sessionKeys)
        let recorded = try old.protect(Self.updateBinary).apdu.bytes
        let fresh = try ChipAuthentication.respond(
            to: Vectors.chipRequest.commandData, chipKey: Vectors.chipKey, chipKeyFile: ChipKeyFile.encode(Vectors.chipKey.publicKey),
            cardNonce: Vectors.bytes("1112131415161718")).session.keys
        var card = SecureMessagingChannel(keys: fresh)
        #expect(throws: CardSecurityError.secureMessagingMACMismatch) {
            try card.unprotect(ProtectedCommand(apdu: recorded))
        }
    }

    /// Flipping any single byte of the header, data objects or MAC makes the card reject the command.
    @Test(arguments: [0, 1, 2, 3, 7, 10, 14, 20])
    func anAlteredCommandIsRejected(position: Int) throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var apdu = try terminal.protect(Self.updateBinary).apdu.bytes
        apdu[position] ^= 0x01
        #expect(throws: CardSecurityError.self) { try card.unprotect(ProtectedCommand(apdu: apdu)) }
        #expect(!card.isOpen)
    }

    @Test func anAlteredResponseStatusIsRejected() throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        _ = try card.unprotect(terminal.protect(Self.updateBinary))
        var response = try card.protect(ResponseAPDU(statusWord: 0x6A82))
        response[3] = 0x00 // 6A82 -> 9000 inside DO'99'
        response[2] = 0x90
        #expect(throws: CardSecurityError.secureMessagingMACMismatch) { try terminal.unprotect(response: response) }
    }

    @Test func aPlainRefusalFromTheCardIsReported() throws {
        var terminal = SecureMessagingChannel(keys: Vectors.sessionKeys)
        _ = try terminal.protect(Self.updateBinary)
        #expect(throws: CardSecurityError.cardRefusedSecureMessaging(statusWord: 0x6988)) {
            try terminal.unprotect(response: [0x69, 0x88])
        }
    }

    @Test func cardStatusWordsForFailures() throws {
        var card = SecureMessagingChannel(keys: Vectors.sessionKeys)
        let unprotected = ProtectedCommand(try CommandAPDU(cla: 0x00, ins: 0xD6, p1: 0x81, p2: 0, data: [0x81, 0x01, 0x00], ne: 256))
        #expect(throws: CardSecurityError.secureMessagingObjectsMissing) { try card.unprotect(unprotected) }
        #expect(CardSecurityError.secureMessagingObjectsMissing.secureMessagingStatusWord == 0x6987)
        #expect(CardSecurityError.secureMessagingMACMismatch.secureMessagingStatusWord == 0x6988)
        #expect(CardSecurityError.secureMessagingClosed.secureMessagingStatusWord == 0x6988)
        #expect(CardSecurityError.cryptogramMismatch.secureMessagingStatusWord == nil)
    }

    @Test func channelDescriptionsHideKeys() {
        let channel = SecureMessagingChannel(keys: Vectors.sessionKeys)
        #expect(!String(reflecting: channel).contains("B42655"))
        #expect(!String(describing: Vectors.sessionKeys).contains("B42655"))
    }
}
