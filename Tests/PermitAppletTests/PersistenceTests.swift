import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import Testing
@testable import PermitApplet

@Suite("Persistence across power cycles and restarts")
struct PersistenceTests {
    @Test("an issued card reloaded from its state file answers as before: FCI, keys, PIN counter, chip key")
    func reload() throws {
        let store = Fixtures.temporaryStore()
        let terminal = try Terminal.issued("zhejiang", pin: "246802", store: store)
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.verify("000000").sw == 0x63C2)
        let chipKey = try #require(terminal.chip?.chipPublicKey)
        let fci = terminal.fci.raw

        let reopened = try PermitApplet.card(
            profile: terminal.profile, store: store, serial: try CardSerial(hex: "0000000000000009"), masterKeys: Fixtures.masterKeys)
        reopened.powerOn()
        #expect(reopened.state == terminal.card.state)
        let again = Terminal(card: reopened, profile: terminal.profile)
        #expect(again.fci.raw == fci)
        #expect(again.state.pinTries == 2)
        #expect(again.readBinary(.holder).data.first == 0x65)
        let chip = try #require(again.chip)
        #expect(chip.chipPublicKey == chipKey, "the same chip key answered chip authentication")
    }

    @Test("an incomplete card stays incomplete across a restart and can be completed")
    func incompleteAcrossRestart() throws {
        let store = Fixtures.temporaryStore()
        let profile = Fixtures.profile("inner-mongolia")
        let terminal = Terminal(card: try Fixtures.blankCard(profile, store: store), profile: profile)
        for step in Terminal.issuanceSteps(profile: profile, pin: "2468").prefix(6) {
            #expect(step.run(terminal) == 0x9000)
        }
        let reopened = try Fixtures.blankCard(profile, store: store)
        let again = Terminal(card: reopened, profile: profile)
        #expect(again.fci.lifeCycle == 0x03)
        #expect(again.issue(pin: "2468") == [])
        let third = Terminal(card: try Fixtures.blankCard(profile, store: store), profile: profile)
        #expect(third.fci.lifeCycle == 0x05)
    }

    @Test("a state file of another product is refused with a clear error")
    func anotherProduct() throws {
        let store = Fixtures.temporaryStore()
        _ = try Fixtures.blankCard(Fixtures.profile("zhejiang"), store: store)
        #expect {
            try PermitApplet.card(profile: Fixtures.profile("inner-mongolia"), store: store, serial: Fixtures.serial, masterKeys: Fixtures.masterKeys)
        } throws: { error in
            guard case PermitAppletError.stateOfAnotherCard = error else { return false }
            return "\(error)".contains("inner-mongolia")
        }
    }
}
