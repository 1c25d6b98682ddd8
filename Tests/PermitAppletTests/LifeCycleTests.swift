import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

@Suite("Life cycle: FINALISE and interrupted issuance (CARD-SPEC §3, §7.15, §12)")
struct LifeCycleTests {
    @Test("FINALISE before everything is on the card answers 6985 and changes nothing", arguments: Fixtures.profileNames)
    func finaliseTooEarly(name: String) throws {
        let profile = Fixtures.profile(name)
        let steps = Terminal.issuanceSteps(profile: profile, pin: "12345678".prefix(profile.pin?.minLength ?? 6).description)
        // Every step but FINALISE, then FINALISE after leaving out each data step in turn.
        for skipped in 3..<(steps.count - 1) {
            let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
            for (index, step) in steps.dropLast().enumerated() where index != skipped {
                #expect(step.run(terminal) == 0x9000, "\(step.name)")
            }
            let before = terminal.card.state
            let reply = terminal.finalise()
            if steps[skipped].name == "CHANGE REFERENCE DATA" {
                #expect(reply.sw == 0x9000, "the PIN is optional")
            } else {
                #expect(reply.sw == 0x6985, "without \(steps[skipped].name)")
                #expect(terminal.card.state == before)
                #expect(terminal.fci.lifeCycle == 0x03)
            }
        }
    }

    @Test("a card pulled after any step of the issuance is incomplete (LCS 03) until FINALISE, and the issuance resumes from the start", arguments: Fixtures.profileNames)
    func pulledAtEveryStep(name: String) throws {
        let profile = Fixtures.profile(name)
        let steps = Terminal.issuanceSteps(profile: profile, pin: "24680246".prefix(profile.pin?.minLength ?? 6).description)
        for pulledAfter in 0..<steps.count {
            let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
            for step in steps.prefix(pulledAfter) { #expect(step.run(terminal) == 0x9000, "\(step.name)") }
            terminal.card.powerOff()
            terminal.card.powerOn()
            #expect(terminal.fci.lifeCycle == 0x03, "pulled after \(pulledAfter) steps")
            terminal.select()
            #expect(terminal.authenticate(.endorsingStation) != 0x9000 || pulledAfter > 3)
            terminal.select()
            // An incomplete card cannot be endorsed, whatever is on it.
            if terminal.authenticate(.issuingStation) == 0x9000 {
                #expect(terminal.appendRecord(.endorsements, Records.endorsement(number: 1, statusSequence: 1)).sw == 0x6982)
            }
            #expect(terminal.issue(pin: "13571357".prefix(profile.pin?.minLength ?? 6).description) == [], "resumed after \(pulledAfter) steps")
            #expect(terminal.fci.lifeCycle == 0x05)
            #expect(terminal.authenticate(.readingTerminal) == 0x9000)
            #expect(terminal.readRecords(.status).data == Records.status(sequence: 1), "one status record, however often resumed")
        }
    }

    @Test("after FINALISE the personalisation-only rights are closed and FINALISE cannot run again")
    func closedAfterFinalise() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        let before = terminal.card.state
        #expect(terminal.updateBinary(.cardInfo, offset: 9, Records.cardInfoBody(profile: terminal.profile)).sw == 0x6982)
        #expect(terminal.updateBinary(.securityObject, [0x77]).sw == 0x6982)
        #expect(terminal.putKey(.readingTerminal).sw == 0x6985, "a key is reloaded only in a higher version")
        #expect(terminal.setPIN("111111").sw == 0x6982)
        #expect(terminal.finalise().sw == 0x6982)
        #expect(terminal.card.state == before)
    }
}
