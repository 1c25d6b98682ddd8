import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

@Suite("Secure messaging on the card (CARD-SPEC §7.17)")
struct SecureMessagingTests {
    static let record = Records.residence(sequence: 2)

    @Test("a write in the clear is refused with a bare 6987 and ends the session", arguments: Fixtures.profileNames)
    func plainWrite(name: String) throws {
        let terminal = try Terminal.issued(name)
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        let before = terminal.card.state
        let plain = [0x00, 0xDC, 0x02, terminal.sfi(.residence) << 3 | 0x04, UInt8(Self.record.count)] + Self.record
        let session = try #require(terminal.channel)
        #expect(terminal.sendRaw(plain).sw == 0x6987)
        #expect(terminal.card.state == before, "nothing written")
        // The session is gone: the terminal's next protected command no longer verifies.
        var stale = session
        #expect(terminal.sendRaw(try stale.protect(Terminal.command(0x00, 0xDC, 0x02, terminal.sfi(.residence) << 3 | 0x04, data: Self.record), encrypt: true).apdu.bytes).sw == 0x6988)
        #expect(terminal.card.state == before)
    }

    @Test("a recorded write replayed in the same session is refused with 6988 and nothing written")
    func replayInSession() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.updateRecord(.residence, record: 2, Self.record).sw == 0x9000)
        let recorded = terminal.lastProtectedAPDU
        let after = terminal.card.state
        #expect(terminal.sendRaw(recorded).sw == 0x6988)
        #expect(terminal.card.state == after)
    }

    @Test("a recorded write replayed in a later session is refused with 6988 and nothing written")
    func replayAcrossSessions() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        let endorsement = Records.endorsement(number: 1, statusSequence: 1)
        let before = terminal.card.state
        // Recorded in a session whose answer the attacker kept back: power is cut before the write.
        var channel = try #require(terminal.channel)
        let recorded = try channel.protect(Terminal.command(0x00, 0xE2, 0, terminal.sfi(.endorsements) << 3, data: endorsement), encrypt: true).apdu.bytes
        terminal.card.powerOn()
        #expect(terminal.card.state == before)
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
        #expect(terminal.sendRaw(recorded).sw == 0x6988)
        #expect(terminal.card.state == before)
    }

    @Test("an altered protected APDU is refused with 6988, whichever byte was changed", arguments: [1, 2, 3, 7, 60, 130, 235])
    func altered(byte index: Int) throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        var channel = try #require(terminal.channel)
        var apdu = try channel.protect(Terminal.command(0x00, 0xDC, 0x02, terminal.sfi(.residence) << 3 | 0x04, data: Self.record), encrypt: true).apdu.bytes
        apdu[index] ^= 0x01
        let before = terminal.card.state
        #expect(terminal.sendRaw(apdu).sw == 0x6988)
        #expect(terminal.card.state == before)
    }

    @Test("after a secure-messaging failure every credential is dropped")
    func failureDropsCredentials() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x9000)
        var channel = try #require(terminal.channel)
        var apdu = try channel.protect(Terminal.command(0x00, 0xB0, 0x80 | terminal.sfi(.holder), 0, ne: 16)).apdu.bytes
        apdu[apdu.count - 3] ^= 0xFF   // inside the MAC
        #expect(terminal.sendRaw(apdu).sw == 0x6988)
        #expect(terminal.readBinary(.holder).sw == 0x6988, "the session is gone")
        #expect(terminal.authenticateChip() == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x6982, "a new session starts without the reading credential")
    }

    @Test("a plain command injected after an officer's authentication is refused with 6987 and ends the session", arguments: [
        "read the holder file", "read the permit state", "append a status record",
    ])
    func injectedPlainCommand(what: String) throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        let before = terminal.card.state
        let injected: [UInt8] = switch what {
        case "read the holder file": [0x00, 0xB0, 0x80 | terminal.sfi(.holder), 0x00, 0x00]
        case "read the permit state": [0x00, 0xCA, 0x01, 0x00, 0x00]
        default: [0x00, 0xE2, 0x00, terminal.sfi(.status) << 3, 0x57] + Records.status(sequence: 2, status: 0x03, reason: 0x20)
        }
        let reply = terminal.sendRaw(injected)
        #expect(reply == Reply(data: [], sw: 0x6987), "nothing is answered but the refusal")
        #expect(terminal.card.state == before)
        #expect(terminal.appendRecord(.status, Records.status(sequence: 2, status: 0x02, reason: 0x11)).sw == 0x6988,
                "the officer's session is gone: its next command is refused too")
        #expect(terminal.card.state == before)
    }

    @Test("a protected command without a session is refused with 6988")
    func noSession() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        var channel = try #require(terminal.channel)
        let apdu = try channel.protect(Terminal.command(0x00, 0xDC, 0x02, terminal.sfi(.residence) << 3 | 0x04, data: Self.record), encrypt: true).apdu.bytes
        terminal.select()   // SELECT ends the session
        #expect(terminal.sendRaw(apdu).sw == 0x6988)
    }

    @Test("replacing the card's state from outside (a test loading a layout) also ends the session")
    func replacedState() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        try terminal.card.replaceState(terminal.card.state)
        // Back into the application by path, which by itself keeps a session.
        let residence = terminal.profile.file(holding: .residence).fid
        #expect(terminal.transmit([0x00, 0xA4, 0x08, 0x0C, 0x04, 0xDF, 0x01, UInt8(residence >> 8), UInt8(residence & 0xFF)]).sw == 0x9000)
        #expect(terminal.updateRecord(.residence, record: 2, Self.record).sw == 0x6988)
    }

    @Test("command data in DO'81' (not encrypted), a PIN or a key as much as a record, is refused with 6988 and ends the session")
    func dataInTheClear() throws {
        let profile = Fixtures.profile("zhejiang")
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        terminal.select()
        let commands = [
            Terminal.command(0x80, 0xD8, 0x01, 0x02, data: terminal.cardKey(.endorsingStation).rawBytes),
            Terminal.command(0x00, 0x24, 0x01, terminal.pinReference, data: Array("123456".utf8)),
            Terminal.command(0x00, 0xDC, 0x01, terminal.sfi(.residence) << 3 | 0x04, data: Self.record),
        ]
        let before = terminal.card.state
        for command in commands {
            #expect(terminal.authenticate(.issuingStation) == 0x9000)
            var channel = try #require(terminal.channel)
            let apdu = try channel.protect(command, encrypt: false).apdu.bytes
            #expect(terminal.sendRaw(apdu).sw == 0x6988)
            #expect(terminal.card.state == before)
            #expect(terminal.readState().sw == 0x6988, "the session ended")
        }
    }

    @Test("protected responses carry the command's own status word and keep the session open")
    func protectedErrors() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.updateRecord(.residence, record: 3, Self.record).sw == 0x6A83)
        #expect(terminal.updateBinary(.cardInfo, offset: 9, [0x01]).sw == 0x6982, "EF.CARD is closed after FINALISE")
        #expect(terminal.updateRecord(.residence, record: 2, Self.record).sw == 0x9000, "the session is still open")
    }

    @Test("a protected READ BINARY answers the data encrypted in DO'87' under the response MAC")
    func protectedRead() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.select()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        var channel = try #require(terminal.channel)
        let apdu = try channel.protect(Terminal.command(0x00, 0xB0, 0x80 | terminal.sfi(.holder), 0, ne: 65536)).apdu.bytes
        let raw = terminal.sendRaw(apdu)
        #expect(raw.sw == 0x9000 && raw.data.first == 0x87, "encrypted data object")
        #expect(raw.data.firstRange(of: Array("ZHANG WEI".utf8)) == nil, "no holder data in the clear")
        let answer = try channel.unprotect(response: raw.data + [0x90, 0x00])
        #expect(answer.statusWord == 0x9000 && answer.data.first == 0x65)
    }
}
