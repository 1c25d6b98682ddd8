import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

@Suite("Holder PIN (CARD-SPEC §7.9, §7.13, §7.14)")
struct PINTests {
    @Test("a wrong PIN counts down to blocked, and stays blocked across power cycles", arguments: Fixtures.profileNames)
    func wrongUntilBlocked(name: String) throws {
        let terminal = try Terminal.issued(name, pin: "246802")
        let limit = try #require(terminal.profile.pin).retryLimit
        let wrong = "135791"
        for left in (0..<limit).reversed() {
            terminal.select()
            #expect(terminal.authenticate(.endorsingStation) == 0x9000)
            #expect(terminal.verify(wrong).sw == 0x63C0 | UInt16(left))
            #expect(terminal.state.pinTries == UInt8(left))
            terminal.card.powerOn()
        }
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.verify("246802").sw == 0x6983, "blocked even for the right PIN")
        #expect(terminal.send(Terminal.command(0x00, 0x20, 0x00, terminal.pinReference)).sw == 0x6983)
    }

    @Test("a correct PIN restores the counter; VERIFY without data tells the tries left or 9000 once verified")
    func correctRestores() throws {
        let terminal = try Terminal.issued("inner-mongolia", pin: "2468")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.verify("1357").sw == 0x63C4)
        #expect(terminal.send(Terminal.command(0x00, 0x20, 0x00, terminal.pinReference)).sw == 0x63C4)
        #expect(terminal.verify("2468").sw == 0x9000)
        #expect(terminal.send(Terminal.command(0x00, 0x20, 0x00, terminal.pinReference)).sw == 0x9000)
        #expect(terminal.state.pinTries == 5)
    }

    @Test("a PIN of the wrong length or with non-digits is refused with 6A80 and costs no try", arguments: ["12345", "1234567", "12a456"])
    func badFormat(pin: String) throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.verify(pin).sw == 0x6A80)
        #expect(terminal.state.pinTries == 3)
    }

    @Test("a PIN in the clear is refused with a bare 6987")
    func clearPIN() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.transmit([0x00, 0x20, 0x00, terminal.pinReference, 0x06] + Array("123456".utf8)).sw == 0x6987)
        #expect(terminal.state.pinTries == 3)
    }

    @Test("VERIFY names an unknown PIN reference or a PIN never set: 6A88")
    func unknownReference() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.send(Terminal.command(0x00, 0x20, 0x00, 0x82, data: Array("123456".utf8))).sw == 0x6A88)
        let profile = Fixtures.profile("zhejiang")
        let blank = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        blank.select()
        #expect(blank.authenticate(.issuingStation) == 0x9000)
        #expect(blank.putKey(.endorsingStation).sw == 0x9000)
        #expect(blank.authenticate(.endorsingStation) == 0x9000)
        #expect(blank.verify("123456").sw == 0x6A88)
        #expect(blank.state.pinTries == nil, "no C4 before a PIN is set")
    }

    @Test("only the holder's PUK unblocks the PIN, at a desk or a kiosk, with a new PIN or the counter only; ISO's unblock without a reset code is refused")
    func unblock() throws {
        let terminal = try Terminal.issued("zhejiang", pin: "246802")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        for _ in 0..<3 { terminal.verify("000000") }
        #expect(terminal.state.pinTries == 0)

        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        for p1: UInt8 in [0x02, 0x03] {
            #expect(terminal.send(Terminal.command(0x00, 0x2C, p1, terminal.pinReference, data: p1 == 0x02 ? Array("975310".utf8) : [])).sw == 0x6A86)
        }
        #expect(terminal.unblock(puk: "86427531").sw == 0x63C9, "a wrong PUK costs one of its own ten tries")
        #expect(terminal.unblock().sw == 0x9000)
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.verify("246802").sw == 0x9000, "the old PIN is kept")

        for _ in 0..<3 { terminal.verify("000000") }
        #expect(terminal.unblock(newPIN: "975310").sw == 0x9000, "a kiosk unblocks with the PUK too")
        #expect(terminal.verify("246802").sw == 0x63C2)
        #expect(terminal.verify("975310").sw == 0x9000)
    }

    @Test("a PUK spent ten times wrong is blocked for good: the right PUK is refused too")
    func pukBlocks() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        for left in (0..<10).reversed() { #expect(terminal.unblock(puk: "00000000").sw == 0x63C0 | UInt16(left)) }
        #expect(terminal.unblock().sw == 0x6983)
    }

    @Test("the holder changes the PIN with the old one; a wrong old PIN costs a try and changes nothing")
    func changeWithOldPIN() throws {
        let terminal = try Terminal.issued("zhejiang", pin: "246802")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.changePIN(old: "000000", new: "111111").sw == 0x63C2)
        #expect(terminal.changePIN(old: "246802", new: "111111").sw == 0x9000)
        #expect(terminal.verify("111111").sw == 0x9000)
        #expect(terminal.state.pinTries == 3)
    }

    @Test("only the endorsing key (a desk or kiosk where the holder types it) may present the PIN: the reading and issuing keys get 6982 and spend no try",
          arguments: [KeyRole.readingTerminal, .issuingStation])
    func verifyNeedsTheEndorsingRole(role: KeyRole) throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(role) == 0x9000)
        #expect(terminal.verify("000000").sw == 0x6982)
        #expect(terminal.send(Terminal.command(0x00, 0x20, 0x00, terminal.pinReference)).sw == 0x6982)
        #expect(terminal.state.pinTries == 3)
    }

    @Test("the PIN can only be set during personalisation")
    func setOnlyInPersonalisation() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.setPIN("654321").sw == 0x6982)
    }

    @Test("a pin credential ends with the session")
    func pinCredentialEndsWithSession() throws {
        let terminal = try Terminal.issued("inner-mongolia", pin: "2468")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.verify("2468").sw == 0x9000)
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.appendRecord(.endorsements, Records.endorsement(number: 1, statusSequence: 1)).sw == 0x6982)
    }
}
