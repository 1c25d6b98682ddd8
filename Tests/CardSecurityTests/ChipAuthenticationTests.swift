import ISO7816
import Testing
@testable import CardSecurity

/// Chip authentication with key agreement and role authentication inside its session (CARD-SECURITY §7,
/// §8), against vectors V2 and V3, which Python's `cryptography` computed (reference_vectors.py).
@Suite("Chip authentication and role authentication")
struct ChipAuthenticationTests {
    static let issuing = (number: UInt8(1), version: UInt8(1))

    /// Vector V2: the request, the ECDH secret, the session keys, the token and the chip's answer.
    @Test func chipAuthenticationVector() throws {
        let request = Vectors.chipRequest
        #expect(request.commandData.hexString == "7C4D8041040C469D1CDC45B26B4BFC9122F618F936704D2C8D6EBAC6CF64E7EDE070C3A27D814AB620466659F80A484DB65B176F84E343CABB29D9C6C2278A79A61540CC5C8108A0A1A2A3A4A5A6A7")
        #expect(try Vectors.chipKey.sharedSecret(with: Vectors.ephemeralKey.publicKey.x963Representation).hexString
            == "FADA6EE5085D075EDBC74F682072FE33FFF8EB110D03833790DE4DB005C51556")
        let (answer, chip) = Vectors.chipAnswer
        #expect(chip.keys.encryptionKey.rawBytes.hexString == "4DD4DB9E419714C981653AD7322480AE")
        #expect(chip.keys.macKey.rawBytes.hexString == "B42655BD6C210C64F800AC2FAFD61767")
        #expect(chip.keys.initialCounter == Array(repeating: 0, count: 16))
        #expect(answer.hexString == "7C598643014104" + Vectors.chipPublicKeyHex.dropFirst(2) + "8208C0C1C2C3C4C5C6C783089D846177EF6F1B72")
        let terminal = try request.accept(answer)
        #expect(terminal.keys == chip.keys)
        #expect(terminal.chipPublicKey == Vectors.chipKey.publicKey)
    }

    /// Vector V3: both cryptograms over the session's transcript with the issuing key of V1.
    @Test func roleAuthenticationVector() throws {
        let chip = Vectors.chipAnswer.session
        #expect(chip.transcript(serial: Vectors.serial, keyNumber: 1, keyVersion: 1).hexString
            == "33010203040506070101C0C1C2C3C4C5C6C7A0A1A2A3A4A5A6A70C469D1CDC45B26B4BFC9122F618F936704D2C8D6EBAC6CF64E7EDE070C3A27D991498C2EF7F1CA5FD7F1D2EE033DC0AED84745DA9B5EBB60A7D854307EBF996")
        let terminal = try RoleAuthentication.terminalCryptogram(
            roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        #expect(terminal.hexString == "455C65A465EED809463F1484EE019E95")
        let card = try RoleAuthentication.answer(
            terminal, roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        #expect(card.hexString == "AA9246454CE618D6FDB50DDF847F43D1")
        try RoleAuthentication.checkCard(card, roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
    }

    /// A copy of the card's files on another chip presents the genuine chip key but cannot compute the
    /// token of its ECDH secret; a chip presenting its own key passes here and is caught by the security
    /// object or by role authentication.
    @Test func aChipWithoutTheKeyItPresentsIsRefused() throws {
        let request = try ChipAuthentication.Request(suite: .international)
        let clone = try AgreementKey.random()
        let (answer, _) = try ChipAuthentication.respond(
            to: request.commandData, chipKey: clone, chipKeyFile: ChipKeyFile.encode(Vectors.chipKey.publicKey),
            cardNonce: ChipAuthentication.randomNonce())
        #expect(throws: CardSecurityError.self) { try request.accept(answer) }
        do {
            _ = try request.accept(answer)
        } catch {
            guard case .chipAuthenticationFailed = error else { Issue.record("\(error)"); return }
        }
    }

    @Test func anAlteredTokenOrNonceIsRefused() throws {
        let request = Vectors.chipRequest
        for position in [74, 80, 89] {
            var answer = Vectors.chipAnswer.responseData
            answer[position] ^= 0x01
            #expect(throws: CardSecurityError.self, "byte \(position)") { try request.accept(answer) }
        }
    }

    /// A relay that ran its own chip authentication with the card cannot pass a station's cryptogram on:
    /// the card checks it against its own session's transcript (other ephemeral key), and the card's
    /// answer from that session does not pass at the station.
    @Test func aCryptogramFromAnotherSessionIsRefused() throws {
        let station = Vectors.chipAnswer.session
        let relayRequest = try ChipAuthentication.Request(suite: .international, terminalNonce: Vectors.terminalNonce)
        let relay = try ChipAuthentication.respond(
            to: relayRequest.commandData, chipKey: Vectors.chipKey, chipKeyFile: ChipKeyFile.encode(Vectors.chipKey.publicKey),
            cardNonce: Vectors.cardNonce).session
        let cryptogram = try RoleAuthentication.terminalCryptogram(
            roleKey: Vectors.issuerCardKey, session: station, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        #expect(throws: CardSecurityError.cryptogramMismatch) {
            try RoleAuthentication.answer(cryptogram, roleKey: Vectors.issuerCardKey, session: relay, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        }
        let cardAnswer = try RoleAuthentication.cardCryptogram(
            roleKey: Vectors.issuerCardKey, session: relay, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        #expect(throws: CardSecurityError.cardCryptogramMismatch) {
            try RoleAuthentication.checkCard(cardAnswer, roleKey: Vectors.issuerCardKey, session: station, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        }
    }

    @Test func anotherRolesKeyOrVersionIsRefused() throws {
        let chip = Vectors.chipAnswer.session
        let kioskKey = try KeyDerivation.cardKey(master: Vectors.master(.endorsingStation), role: .endorsingStation, serial: Vectors.serial)
        let kiosk = try RoleAuthentication.terminalCryptogram(roleKey: kioskKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        #expect(throws: CardSecurityError.cryptogramMismatch) {
            try RoleAuthentication.answer(kiosk, roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        }
        let otherVersion = try RoleAuthentication.terminalCryptogram(
            roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 2)
        #expect(throws: CardSecurityError.cryptogramMismatch) {
            try RoleAuthentication.answer(otherVersion, roleKey: Vectors.issuerCardKey, session: chip, serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        }
        #expect(throws: CardSecurityError.invalidLength(field: "EXTERNAL AUTHENTICATE data", expected: 16, actual: 15)) {
            try RoleAuthentication.answer(Array(repeating: 0, count: 15), roleKey: Vectors.issuerCardKey, session: chip,
                                          serial: Vectors.serial, keyNumber: 1, keyVersion: 1)
        }
    }

    @Test func aPointOffTheCurveIsRefused() throws {
        var data = Vectors.chipRequest.commandData
        data[40] ^= 0x01
        #expect(throws: CardSecurityError.self) {
            try ChipAuthentication.respond(to: data, chipKey: Vectors.chipKey, chipKeyFile: ChipKeyFile.encode(Vectors.chipKey.publicKey),
                                           cardNonce: Vectors.cardNonce)
        }
    }

    @Test func noncesAreFreshAndKeysRedacted() throws {
        #expect(ChipAuthentication.randomNonce() != ChipAuthentication.randomNonce())
        #expect(ChipAuthentication.randomNonce().count == 8)
        let text = String(describing: Vectors.chipKey) + String(reflecting: Vectors.ephemeralKey) + String(describing: Vectors.chipRequest)
            + String(describing: Vectors.chipAnswer.session)
        #expect(!text.contains("C1C1C1") && !text.contains("E7E7E7") && !text.contains("B42655"))
        #expect(text.contains("redacted"))
    }
}
