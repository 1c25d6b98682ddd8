import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

@Suite("Card initialisation and issuance (CARD-SPEC §9, §10.1)")
struct IssuanceTests {
    @Test("a blank card has the profile's ATR and the FCI of §4: LCS 03 and EF.CARD with format and serial", arguments: Fixtures.profileNames)
    func blankCard(name: String) throws {
        let profile = Fixtures.profile(name)
        let card = try Fixtures.blankCard(profile)
        #expect(card.atr.bytes == profile.card.atr)
        let terminal = Terminal(card: card, profile: profile)
        let reply = terminal.select()
        #expect(reply.sw == 0x9000)
        let cardFile = [0x01] + Fixtures.serial.bytes + [UInt8](repeating: 0, count: 55)
        #expect(reply.data == [0x6F, 0x47, 0x8A, 0x01, 0x03, 0xA5, 0x42, 0xC1, 0x40] + cardFile)
    }

    @Test("only the issuing key exists on a blank card", arguments: Fixtures.profileNames)
    func onlyIssuingKey(name: String) throws {
        let profile = Fixtures.profile(name)
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x6A88)
        #expect(terminal.authenticate(.readingTerminal) == 0x6A88)
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
    }

    @Test("the whole issuance answers 9000 at every step and leaves an operational card", arguments: Fixtures.profileNames)
    func issue(name: String) throws {
        let profile = Fixtures.profile(name)
        let card = try Fixtures.blankCard(profile)
        let terminal = Terminal(card: card, profile: profile)
        #expect(terminal.issue(pin: "123456") == [])
        let fci = terminal.fci
        #expect(fci.lifeCycle == 0x05)
        #expect(fci.cardInfo?.dropFirst(9).first == 0x01)
        #expect(fci.status == Records.status(sequence: 1))
        #expect(fci.pinTries == UInt8(profile.pin!.retryLimit))
        if name == "zhejiang" {
            #expect(fci.raw.count == 236)
            #expect(Array(fci.raw.prefix(3)) == [0x6F, 0x81, 0xE9])
        }
        // Step 14: the chip proves itself with the key published in EF.CHIPKEY.
        let chipKeyFile = try #require(fci.chipKey)
        let chipKey = try #require(try ChipKeyFile.decode(chipKeyFile))
        let challenge = ChipAuthentication.randomChallenge()
        let answer = terminal.internalAuthenticate(challenge)
        #expect(answer.sw == 0x9000)
        #expect(ChipAuthentication.verify(response: answer.data, challenge: challenge, serial: Fixtures.serial, chipPublicKey: chipKey) == .passed)
    }

    @Test("after issuance every role key of the profile opens a session", arguments: Fixtures.profileNames)
    func roleKeys(name: String) throws {
        let profile = Fixtures.profile(name)
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        #expect(terminal.issue() == [])
        for role in KeyRole.allCases {
            terminal.select()
            #expect(terminal.authenticate(role) == 0x9000, "\(role)")
        }
    }
}
