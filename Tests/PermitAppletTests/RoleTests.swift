import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

/// Each key gets only its operations (CARD-SPEC §2, the profiles' access rules).
@Suite("Access rules per role")
struct RoleTests {
    /// A protected write and the roles the shipped profiles allow it for, on an operational card.
    struct Write: CustomTestStringConvertible, Sendable {
        let name: String
        let allowed: Set<KeyRole>
        let send: @Sendable (Terminal) -> Reply
        var testDescription: String { name }
    }

    static let writes: [Write] = [
        Write(name: "append a status record", allowed: [.issuingStation]) {
            $0.appendRecord(.status, Records.status(sequence: 2, status: 0x02, reason: 0x11))
        },
        Write(name: "change the address", allowed: [.issuingStation]) {
            $0.updateRecord(.residence, record: 2, Records.residence(sequence: 2))
        },
        Write(name: "unblock the PIN with the PUK", allowed: [.issuingStation, .endorsingStation]) { $0.unblock() },
        Write(name: "present the PIN", allowed: [.endorsingStation]) { $0.verify("123456") },
        Write(name: "change the PIN with the old one", allowed: [.issuingStation, .endorsingStation]) { $0.changePIN(old: "123456", new: "654321") },
        Write(name: "load a newer key version", allowed: [.issuingStation]) { $0.putKey(.endorsingStation, version: 2) },
        Write(name: "rewrite EF.HOLDER", allowed: []) { $0.updateBinary(.holder, [0x65, 0x00]) },
        Write(name: "finalise again", allowed: []) { $0.finalise() },
    ]

    @Test("on an operational zhejiang card each write is allowed exactly for its roles", arguments: writes, KeyRole.allCases)
    func operationalWrites(write: Write, role: KeyRole) throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(role) == 0x9000)
        let before = terminal.card.state
        let reply = write.send(terminal)
        if write.allowed.contains(role) {
            #expect(reply.sw == 0x9000)
        } else {
            #expect(reply.sw == 0x6982)
            #expect(terminal.card.state == before, "nothing written")
        }
    }

    @Test("a kiosk (endorsing key) endorses a zhejiang card; a reading terminal cannot", arguments: KeyRole.allCases)
    func endorse(role: KeyRole) throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(role) == 0x9000)
        let reply = terminal.appendRecord(.endorsements, Records.endorsement(number: 1, statusSequence: 1))
        #expect(reply.sw == (role == .readingTerminal ? 0x6982 : 0x9000))
    }

    @Test("a kiosk key cannot pass for the issuing key: its cryptogram fails under the issuing key number")
    func kioskKeyUnderIssuingNumber() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        let issuing = try #require(terminal.profile.key(for: .issuingStation))
        #expect(terminal.authenticate(.endorsingStation, number: issuing.number) == 0x6300)
        #expect(terminal.readState().sw == 0x6988, "the failed authentication ended the session")
    }

    @Test("during personalisation the endorsing key may not endorse and the kiosk may not personalise")
    func personalisationPhase() throws {
        let profile = Fixtures.profile("zhejiang")
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.putKey(.endorsingStation).sw == 0x9000)
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        let before = terminal.card.state
        #expect(terminal.appendRecord(.endorsements, Records.endorsement(number: 1, statusSequence: 0)).sw == 0x6982)
        #expect(terminal.updateBinary(.holder, Records.holder(size: 512)).sw == 0x6982)
        #expect(terminal.finalise().sw == 0x6982)
        #expect(terminal.card.state == before)
    }

    @Test("inner-mongolia: endorsing needs the holder PIN as well as the endorsing key")
    func endorsingNeedsPIN() throws {
        let terminal = try Terminal.issued("inner-mongolia", pin: "2468")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        let endorsement = Records.endorsement(number: 1, statusSequence: 1)
        #expect(terminal.appendRecord(.endorsements, endorsement).sw == 0x6982)
        #expect(terminal.verify("2468").sw == 0x9000)
        #expect(terminal.appendRecord(.endorsements, endorsement).sw == 0x9000)
        #expect(terminal.readRecords(.endorsements).data == endorsement)
    }

    @Test("every file and the permit state are read only with a role key inside a session", arguments: Fixtures.profileNames)
    func reads(name: String) throws {
        let terminal = try Terminal.issued(name)
        terminal.select()
        #expect(terminal.authenticateChip() == 0x9000)
        for content in [FileContent.holder, .cardInfo, .securityObject] {
            #expect(terminal.readBinary(content).sw == 0x6982, "\(content)")
        }
        for content in [FileContent.residence, .status, .endorsements] {
            #expect(terminal.readRecords(content).sw == 0x6982, "\(content)")
        }
        #expect(terminal.readState().sw == 0x6982)
        for role in KeyRole.allCases {
            terminal.select()
            #expect(terminal.authenticate(role) == 0x9000)
            let holder = terminal.readBinary(.holder)
            #expect(holder.sw == 0x9000)
            #expect(holder.data == Records.holder(size: terminal.profile.file(holding: .holder).structure.capacity))
            #expect(terminal.readRecords(.residence).data == Records.residence(sequence: 1) + [UInt8](repeating: 0, count: 223))
            #expect(terminal.readRecords(.status).data == Records.status(sequence: 1))
            #expect(terminal.readRecords(.endorsements).sw == 0x6A83, "no endorsement yet")
            #expect(terminal.readBinary(.securityObject).data.first == 0x77)
            let state = StateView(terminal.readState().data)
            #expect(state.status == Records.status(sequence: 1) && state.endorsementCount == 0 && state.newestEndorsement == nil)
        }
    }
}
