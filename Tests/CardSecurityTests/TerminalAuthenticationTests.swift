import ISO7816
import Testing
@testable import CardSecurity

@Suite("Terminal authentication (GET CHALLENGE / EXTERNAL AUTHENTICATE)")
struct TerminalAuthenticationTests {
    /// docs/CARD-SECURITY.md vector V2.
    @Test func externalAuthenticateVector() throws {
        let result = try TerminalAuthentication.authenticate(
            roleKey: Vectors.issuerCardKey, cardNonce: Vectors.cardNonce, serial: Vectors.serial,
            terminalNonce: Vectors.terminalNonce)
        #expect(result.commandData.hexString == "A0A1A2A3A4A5A6A7D30B265823D42CAE9981143B547B9926")
        #expect(result.sessionKeys.macKey.rawBytes.hexString == "088BCCA4DF581BC39B6B95918A5C136A")
        #expect(result.sessionKeys.encryptionKey.rawBytes.hexString == "73AC55F4CD512C37B4B0BA473EF752B1")
        #expect(result.sessionKeys.initialCounter.hexString == "0000000000000000C4C5C6C7A4A5A6A7")
    }

    @Test func cardAcceptsTheRightKeyAndAgreesOnSessionKeys() throws {
        let cardNonce = TerminalAuthentication.randomNonce()
        let terminal = try TerminalAuthentication.authenticate(
            roleKey: Vectors.issuerCardKey, cardNonce: cardNonce, serial: Vectors.serial)
        let cardKeys = try TerminalAuthentication.verify(
            commandData: terminal.commandData, roleKey: Vectors.issuerCardKey, cardNonce: cardNonce, serial: Vectors.serial)
        #expect(cardKeys == terminal.sessionKeys)
    }

    @Test func anotherRolesKeyIsRejected() throws {
        let kioskKey = try KeyDerivation.cardKey(
            master: Vectors.master(.endorsingStation), role: .endorsingStation, serial: Vectors.serial)
        let kiosk = try TerminalAuthentication.authenticate(
            roleKey: kioskKey, cardNonce: Vectors.cardNonce, serial: Vectors.serial)
        #expect(throws: CardSecurityError.cryptogramMismatch) {
            try TerminalAuthentication.verify(commandData: kiosk.commandData, roleKey: Vectors.issuerCardKey,
                                              cardNonce: Vectors.cardNonce, serial: Vectors.serial)
        }
    }

    @Test func aCryptogramForAnotherChallengeIsRejected() throws {
        let old = try TerminalAuthentication.authenticate(
            roleKey: Vectors.issuerCardKey, cardNonce: Vectors.cardNonce, serial: Vectors.serial)
        let freshNonce = Vectors.bytes("C0C1C2C3C4C5C6C8")
        #expect(throws: CardSecurityError.cryptogramMismatch) {
            try TerminalAuthentication.verify(commandData: old.commandData, roleKey: Vectors.issuerCardKey,
                                              cardNonce: freshNonce, serial: Vectors.serial)
        }
    }

    @Test func wrongLengthDataIsRejected() {
        #expect(throws: CardSecurityError.invalidLength(field: "EXTERNAL AUTHENTICATE data", expected: 24, actual: 23)) {
            try TerminalAuthentication.verify(commandData: Array(repeating: 0, count: 23), roleKey: Vectors.issuerCardKey,
                                              cardNonce: Vectors.cardNonce, serial: Vectors.serial)
        }
    }

    @Test func randomNoncesHaveTheRightLengthAndDiffer() {
        let first = TerminalAuthentication.randomNonce()
        let second = TerminalAuthentication.randomNonce()
        #expect(first.count == 8)
        #expect(first != second)
    }
}
