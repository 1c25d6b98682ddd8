import CardEmulator
import CardProfiles
import CardSecurity
import Testing
@testable import PermitApplet

/// Status words of the individual commands (CARD-SPEC §7, §8).
@Suite("Command status words")
struct CommandTests {
    static func selected(_ name: String = "zhejiang") throws -> Terminal {
        let terminal = try Terminal.issued(name)
        terminal.select()
        return terminal
    }

    @Test("SELECT of another AID is not this application: 6A82; SELECT with P2 0C answers no FCI")
    func select() throws {
        let terminal = try Self.selected()
        #expect(terminal.transmit("00A404000DD15600009950455244454D4F3300").sw == 0x6A82)
        let aid = terminal.profile.card.aid
        #expect(terminal.transmit([0x00, 0xA4, 0x04, 0x0C, UInt8(aid.count)] + aid) == Reply(data: [], sw: 0x9000))
    }

    @Test("SELECT of the application DF by FID answers the application's FCI and ends the session, as does selecting an EF or the MF")
    func selectByIdentifier() throws {
        let terminal = try Self.selected()
        let fci = terminal.lastFCI.raw
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x9000)
        let holderFID = terminal.profile.file(holding: .holder).fid
        #expect(terminal.transmit([0x00, 0xA4, 0x02, 0x0C, 0x02, UInt8(holderFID >> 8), UInt8(holderFID & 0xFF)]).sw == 0x9000)
        #expect(terminal.sendRaw(terminal.lastProtectedAPDU).sw == 0x6988, "a SELECT is a plain command: the session is gone")
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.transmit("00A4000002DF0100") == Reply(data: fci, sw: 0x9000))
        #expect(terminal.readBinary(.holder).sw == 0x6988, "re-selecting the application ended the session")
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.transmit("00A4000C00").sw == 0x9000)
        #expect(terminal.transmit("00A4000C02DF01").sw == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x6988, "leaving the application ended the session")
    }

    @Test("commands before SELECT of the application are not the application's")
    func beforeSelect() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.card.powerOn()
        #expect(terminal.transmit([0x00, 0xB0, 0x80 | terminal.sfi(.cardInfo), 0x00, 0x00]).sw == 0x6A82)
        #expect(terminal.authenticateChip() != 0x9000)
    }

    @Test("the FCI holds only the life cycle, EF.CARD's identity bytes and the key versions: no dates, no status, no chip key", arguments: Fixtures.profileNames)
    func fciHoldsNoPermitData(name: String) throws {
        let terminal = try Terminal.issued(name)
        let fci = terminal.fci
        #expect(fci.lifeCycle == 0x05)
        let card = try #require(terminal.state.cardInfo)
        #expect(fci.identity == Array(card.prefix(28)))
        #expect(fci.keyVersions == [1: 1, 2: 1, 3: 1])
        #expect(fci.raw.count == 2 + 3 + 2 + 2 + 28 + 2 + 6)
    }

    @Test("without a session only SELECT and GENERAL AUTHENTICATE are answered: reads, GET DATA and writes are 6982")
    func nothingWithoutASession() throws {
        let terminal = try Self.selected()
        #expect(terminal.transmit([0x00, 0xB0, 0x80 | terminal.sfi(.cardInfo), 0x00, 0x00]).sw == 0x6982)
        #expect(terminal.transmit([0x00, 0xB2, 0x01, terminal.sfi(.status) << 3 | 0x04, 0x00]).sw == 0x6982)
        #expect(terminal.transmit("00CA010000").sw == 0x6982)
        #expect(terminal.transmit("0084000008").sw == 0x6982, "GET CHALLENGE is gone with protocol v1")
        #expect(terminal.transmit([0x00, 0xE2, 0x00, terminal.sfi(.status) << 3, 0x01, 0x01]).sw == 0x6982)
    }

    @Test("GENERAL AUTHENTICATE: 6A80 for a point off the curve or wrong objects, 6A86 for wrong P1-P2; the answer carries EF.CHIPKEY")
    func generalAuthenticate() throws {
        let terminal = try Self.selected()
        let request = try ChipAuthentication.Request(suite: .international)
        var data = request.commandData
        data[40] ^= 0x01
        #expect(terminal.transmit([0x00, 0x86, 0x00, 0x00, UInt8(data.count)] + data + [0x00]).sw == 0x6A80)
        #expect(terminal.transmit([0x00, 0x86, 0x00, 0x00, 0x04, 0x7C, 0x02, 0x81, 0x00, 0x00]).sw == 0x6A80)
        #expect(terminal.transmit([0x00, 0x86, 0x01, 0x00, UInt8(data.count)] + request.commandData + [0x00]).sw == 0x6A86)
        let reply = terminal.transmit([0x00, 0x86, 0x00, 0x00, UInt8(data.count)] + request.commandData + [0x00])
        #expect(reply.sw == 0x9000)
        let session = try request.accept(reply.data)
        let application = try #require(FilePath.masterFile.appending(0xDF01))
        let file = terminal.card.state.fileSystem.elementaryFile(shortID: terminal.sfi(.chipPublicKey), in: application)
        guard case .transparent(let stored)? = file?.content else { Issue.record("no EF.CHIPKEY"); return }
        #expect(session.chipKeyFile == Array(stored.prefix(67)))
    }

    @Test("EXTERNAL AUTHENTICATE: 6A88 unknown key or another version, 6700 wrong Lc, 6300 wrong cryptogram (and the session ends)")
    func externalAuthenticate() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticateChip() == 0x9000)
        #expect(terminal.send(Terminal.command(0x00, 0x82, 0x01, 0x09, data: [UInt8](repeating: 0x11, count: 16), ne: 16)).sw == 0x6A88)
        #expect(terminal.send(Terminal.command(0x00, 0x82, 0x02, 0x01, data: [UInt8](repeating: 0x11, count: 16), ne: 16)).sw == 0x6A88)
        #expect(terminal.send(Terminal.command(0x00, 0x82, 0x01, 0x01, data: [UInt8](repeating: 0x11, count: 15), ne: 16)).sw == 0x6700)
        #expect(terminal.send(Terminal.command(0x00, 0x82, 0x01, 0x01, data: [UInt8](repeating: 0x11, count: 16), ne: 16)).sw == 0x6300)
        #expect(terminal.readState().sw == 0x6988, "the session ended with the wrong cryptogram")
    }

    @Test("a plain EXTERNAL AUTHENTICATE is refused: outside a session 6982, inside one 6987 and the session ends")
    func plainExternalAuthenticate() throws {
        let terminal = try Self.selected()
        #expect(terminal.transmit([0x00, 0x82, 0x01, 0x01, 0x10] + [UInt8](repeating: 0x11, count: 16)).sw == 0x6982)
        #expect(terminal.authenticateChip() == 0x9000)
        #expect(terminal.transmit([0x00, 0x82, 0x01, 0x01, 0x10] + [UInt8](repeating: 0x11, count: 16)).sw == 0x6987)
        #expect(terminal.readState().sw == 0x6988)
    }

    @Test("a chip session alone grants no role: the permit state and the files need a key")
    func chipSessionAloneGrantsNothing() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticateChip() == 0x9000)
        #expect(terminal.readState().sw == 0x6982)
        #expect(terminal.readBinary(.holder).sw == 0x6982)
        #expect(terminal.readRecords(.status).sw == 0x6982)
        #expect(terminal.readBinary(.chipPublicKey).sw == 0x9000, "EF.CHIPKEY is what chip authentication presents anyway")
    }

    @Test("a failed EXTERNAL AUTHENTICATE drops the credentials held before")
    func failedAuthenticationDrops() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x9000)
        #expect(terminal.authenticate(.readingTerminal, key: Fixtures.key("00000000000000000000000000000000")) == 0x6300)
        #expect(terminal.authenticateChip() == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x6982)
    }

    @Test("PUT KEY: unknown key number 6A88, key not 16 bytes 6A80")
    func putKey() throws {
        let profile = Fixtures.profile("zhejiang")
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.send(Terminal.command(0x80, 0xD8, 0x01, 0x09, data: [UInt8](repeating: 7, count: 16))).sw == 0x6A88)
        #expect(terminal.send(Terminal.command(0x80, 0xD8, 0x01, 0x02, data: [UInt8](repeating: 7, count: 15))).sw == 0x6A80)
        #expect(terminal.putKey(.endorsingStation).sw == 0x9000)
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
    }

    @Test("file addressing: unknown SFI 6A82, offset beyond the end 6B00, data beyond the end 6A84, record file as binary 6981")
    func addressing() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.send(Terminal.command(0x00, 0xB0, 0x9E, 0x00, ne: 256)).sw == 0x6A82)
        #expect(terminal.send(Terminal.command(0x00, 0xB0, 0x81, 0xFF, ne: 256)).sw == 0x6B00)
        #expect(terminal.send(Terminal.command(0x00, 0xB0, 0x83, 0x00, ne: 256)).sw == 0x6981)
        let status = terminal.sfi(.status)
        #expect(terminal.send(Terminal.command(0x00, 0xD6, 0x80 | status, 0, data: [1])).sw == 0x6981)
    }

    @Test("UPDATE RECORD of a record that does not exist answers 6A83, also in an empty record file")
    func missingRecord() throws {
        var profile = Fixtures.profile("zhejiang")
        let index = try #require(profile.files.firstIndex { $0.content == .status })
        profile.files[index].access[.update] = AccessRule(.always)
        let card = try PermitApplet.freshCard(profile: profile, serial: Fixtures.serial, masterKeys: Fixtures.masterKeys)
        card.powerOn()
        let terminal = Terminal(card: card, profile: profile)
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.updateRecord(.status, record: 1, Records.status(sequence: 1)).sw == 0x6A83)
        #expect(terminal.updateRecord(.residence, record: 3, Records.residence(sequence: 1)).sw == 0x6A83)
    }

    @Test("READ BINARY with a specific Le beyond the end answers the rest with 6282")
    func readPastEnd() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        let reply = terminal.send(Terminal.command(0x00, 0xB0, 0x80 | terminal.sfi(.cardInfo), 60, ne: 8))
        #expect(reply.sw == 0x6282 && reply.data.count == 4)
    }

    @Test("unknown instructions answer 6D00, a proprietary class other than PUT KEY too; GET DATA of another object 6A88")
    func unknownInstruction() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.send(Terminal.command(0x00, 0x84, 0x00, 0x00, ne: 8)).sw == 0x6D00)
        #expect(terminal.send(Terminal.command(0x00, 0x88, 0x00, 0x00, data: [UInt8](repeating: 1, count: 16), ne: 256)).sw == 0x6D00)
        #expect(terminal.send(Terminal.command(0x80, 0xCA, 0x01, 0x00, ne: 256)).sw == 0x6D00)
        #expect(terminal.send(Terminal.command(0x00, 0xCA, 0x00, 0x5A, ne: 256)).sw == 0x6A88)
    }

    @Test("a profile without extended length refuses extended APDUs and data beyond maxCommandData with 6700")
    func shortOnlyProfile() throws {
        var profile = Fixtures.profile("zhejiang")
        profile.apdu = APDULimits(extendedLength: false, maxCommandData: 255, maxResponseData: 256)
        let card = try PermitApplet.freshCard(profile: profile, serial: Fixtures.serial, masterKeys: Fixtures.masterKeys)
        card.powerOn()
        let terminal = Terminal(card: card, profile: profile)
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        let short = terminal.readBinary(.cardInfo)
        #expect(short.sw == 0x9000 && short.data.count == 64)
        var channel = try #require(terminal.channel)
        let extended = try channel.protect(Terminal.command(0x00, 0xB0, 0x80 | terminal.sfi(.cardInfo), 0, ne: 65_536), extendedLength: true)
        #expect(terminal.sendRaw(extended.apdu.bytes).sw == 0x6700, "an extended Le")
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        let holder = Records.holder(size: 512)
        for offset in stride(from: 0, to: 512, by: 200) {
            let chunk = Array(holder[offset..<min(offset + 200, 512)])
            #expect(terminal.updateBinary(.holder, offset: offset, chunk).sw == 0x9000)
        }
        #expect(terminal.send(Terminal.command(0x00, 0xB0, 0x80 | terminal.sfi(.holder), 0, ne: 200)).data == Array(holder.prefix(200)))
    }

    @Test("a profile of an unimplemented suite cannot make a card")
    func nationalSuite() throws {
        var profile = Fixtures.profile("zhejiang")
        profile.suite = .national
        #expect(throws: PermitAppletError.self) {
            try PermitApplet.freshCard(profile: profile, serial: Fixtures.serial, masterKeys: Fixtures.masterKeys)
        }
    }
}
