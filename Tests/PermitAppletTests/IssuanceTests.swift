import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

@Suite("Card initialisation and issuance (CARD-SPEC §9, §10.1)")
struct IssuanceTests {
    @Test("a blank card has the profile's ATR and the FCI of §4: LCS 03, EF.CARD's identity with format and serial, the issuing key's version", arguments: Fixtures.profileNames)
    func blankCard(name: String) throws {
        let profile = Fixtures.profile(name)
        let card = try Fixtures.blankCard(profile)
        #expect(card.atr.bytes == profile.card.atr)
        let terminal = Terminal(card: card, profile: profile)
        let reply = terminal.select()
        #expect(reply.sw == 0x9000)
        let identity = [0x01] + Fixtures.serial.bytes + [UInt8](repeating: 0, count: 19)
        #expect(reply.data == [0x6F, 0x27, 0x8A, 0x01, 0x03, 0xA5, 0x22, 0xC1, 0x1C] + identity + [0xC7, 0x02, 0x01, 0x01])
    }

    @Test("a blank card already holds its chip key (card initialisation): it answers chip authentication with EF.CHIPKEY", arguments: Fixtures.profileNames)
    func blankCardHasItsChipKey(name: String) throws {
        let profile = Fixtures.profile(name)
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        terminal.select()
        #expect(terminal.authenticateChip() == 0x9000)
        let key = try #require(terminal.chip?.chipPublicKey)
        #expect(terminal.chip?.chipKeyFile == ChipKeyFile.encode(key))
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
        #expect(fci.identity?.dropFirst(9).first == 0x01)
        let state = terminal.state
        #expect(state.status == Records.status(sequence: 1))
        #expect(state.pinTries == UInt8(profile.pin!.retryLimit))
        #expect(state.cardInfo?.prefix(28) == fci.identity?[...])
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
