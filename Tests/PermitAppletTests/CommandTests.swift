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

    @Test("SELECT of the application DF by FID answers the application's FCI and ends the session; an EF of it keeps the session; the MF ends it")
    func selectByIdentifier() throws {
        let terminal = try Self.selected()
        let fci = terminal.lastFCI.raw
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        let holderFID = terminal.profile.file(holding: .holder).fid
        #expect(terminal.transmit([0x00, 0xA4, 0x02, 0x0C, 0x02, UInt8(holderFID >> 8), UInt8(holderFID & 0xFF)]).sw == 0x9000)
        #expect(terminal.transmit("00B0000001").data == [0x65], "the selected EF, read by offset")
        #expect(terminal.readBinary(.holder).sw == 0x9000, "the session survived selecting an EF")
        #expect(terminal.transmit("00A4000002DF0100") == Reply(data: fci, sw: 0x9000))
        #expect(terminal.readBinary(.holder).sw == 0x6982, "re-selecting the application ended the session")
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.transmit("00A4000C00").sw == 0x9000)
        #expect(terminal.transmit("00A4000C02DF01").sw == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x6982, "leaving the application ended the session")
    }

    @Test("commands before SELECT of the application find no file")
    func beforeSelect() throws {
        let terminal = try Terminal.issued("zhejiang")
        terminal.card.powerOn()
        #expect(terminal.readBinary(.cardInfo).sw == 0x6A82)
    }

    @Test("GET CHALLENGE answers 8 bytes; another Le is 6700")
    func getChallenge() throws {
        let terminal = try Self.selected()
        let reply = terminal.transmit("0084000008")
        #expect(reply.sw == 0x9000 && reply.data.count == 8)
        #expect(terminal.transmit("0084000010").sw == 0x6700)
        #expect(terminal.transmit("0084010008").sw == 0x6A86)
    }

    @Test("EXTERNAL AUTHENTICATE: 6985 without a challenge, 6A88 unknown key, 6700 wrong Lc, 6300 wrong cryptogram")
    func externalAuthenticate() throws {
        let terminal = try Self.selected()
        let data = [UInt8](repeating: 0x11, count: 24)
        #expect(terminal.transmit([0x00, 0x82, 0x00, 0x01, 0x18] + data).sw == 0x6985)
        terminal.transmit("0084000008")
        #expect(terminal.transmit([0x00, 0x82, 0x00, 0x09, 0x18] + data).sw == 0x6A88)
        terminal.transmit("0084000008")
        #expect(terminal.transmit([0x00, 0x82, 0x00, 0x01, 0x10] + data.prefix(16)).sw == 0x6700)
        terminal.transmit("0084000008")
        #expect(terminal.transmit([0x00, 0x82, 0x00, 0x01, 0x18] + data).sw == 0x6300)
    }

    @Test("a challenge serves one command: a second EXTERNAL AUTHENTICATE with it answers 6985")
    func challengeUsedOnce() throws {
        let terminal = try Self.selected()
        let challenge = terminal.transmit("0084000008").data
        let (data, _) = try TerminalAuthentication.authenticate(
            roleKey: terminal.cardKey(.readingTerminal), cardNonce: challenge, serial: Fixtures.serial)
        let apdu = [0x00, 0x82, 0x00, 0x03, 0x18] + data
        #expect(terminal.transmit(apdu).sw == 0x9000)
        #expect(terminal.transmit(apdu).sw == 0x6985)
        // A challenge followed by any other command is spent too.
        let next = terminal.transmit("0084000008").data
        #expect(terminal.readBinary(.cardInfo).sw == 0x9000)
        let (late, _) = try TerminalAuthentication.authenticate(
            roleKey: terminal.cardKey(.readingTerminal), cardNonce: next, serial: Fixtures.serial)
        #expect(terminal.transmit([0x00, 0x82, 0x00, 0x03, 0x18] + late).sw == 0x6985)
    }

    @Test("a failed EXTERNAL AUTHENTICATE drops the credentials held before")
    func failedAuthenticationDrops() throws {
        let terminal = try Self.selected()
        #expect(terminal.authenticate(.readingTerminal) == 0x9000)
        #expect(terminal.readBinary(.holder).sw == 0x9000)
        #expect(terminal.authenticate(.readingTerminal, key: Fixtures.key("00000000000000000000000000000000")) == 0x6300)
        #expect(terminal.readBinary(.holder).sw == 0x6982)
    }

    @Test("INTERNAL AUTHENTICATE: 16-byte challenge, else 6700")
    func internalAuthenticate() throws {
        let terminal = try Self.selected()
        #expect(terminal.internalAuthenticate([UInt8](repeating: 1, count: 8)).sw == 0x6700)
        #expect(terminal.internalAuthenticate([UInt8](repeating: 1, count: 16)).data.count == 64)
    }

    @Test("PUT KEY: unknown key number 6A88, key not 16 bytes 6A80")
    func putKey() throws {
        let profile = Fixtures.profile("zhejiang")
        let terminal = Terminal(card: try Fixtures.blankCard(profile), profile: profile)
        terminal.select()
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.send(Terminal.command(0x80, 0xD8, 0x01, 0x09, data: [UInt8](repeating: 7, count: 16)), encrypt: true).sw == 0x6A88)
        #expect(terminal.send(Terminal.command(0x80, 0xD8, 0x01, 0x02, data: [UInt8](repeating: 7, count: 15)), encrypt: true).sw == 0x6A80)
        #expect(terminal.putKey(.endorsingStation).sw == 0x9000)
        terminal.select()
        #expect(terminal.authenticate(.endorsingStation) == 0x9000)
    }

    @Test("file addressing: unknown SFI 6A82, offset beyond the end 6B00, data beyond the end 6A84, record file as binary 6981")
    func addressing() throws {
        let terminal = try Self.selected()
        #expect(terminal.transmit("00B09E0000").sw == 0x6A82)
        #expect(terminal.transmit("00B081FF00").sw == 0x6B00)
        #expect(terminal.transmit("00B0830000").sw == 0x6981)
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
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
        let reply = terminal.transmit([0x00, 0xB0, 0x80 | terminal.sfi(.cardInfo), 60, 8])
        #expect(reply.sw == 0x6282 && reply.data.count == 4)
    }

    @Test("unknown instructions answer 6D00; a proprietary class other than PUT KEY too")
    func unknownInstruction() throws {
        let terminal = try Self.selected()
        #expect(terminal.transmit("00CA000000").sw == 0x6D00)
        #expect(terminal.transmit("80CA000000").sw == 0x6D00)
    }

    @Test("a profile without extended length refuses extended APDUs and data beyond maxCommandData with 6700")
    func shortOnlyProfile() throws {
        var profile = Fixtures.profile("zhejiang")
        profile.apdu = APDULimits(extendedLength: false, maxCommandData: 255, maxResponseData: 256)
        let card = try PermitApplet.freshCard(profile: profile, serial: Fixtures.serial, masterKeys: Fixtures.masterKeys)
        card.powerOn()
        let terminal = Terminal(card: card, profile: profile)
        terminal.select()
        #expect(terminal.readBinary(.cardInfo).sw == 0x6700, "extended Le")
        let short = terminal.transmit([0x00, 0xB0, 0x80 | terminal.sfi(.cardInfo), 0, 0])
        #expect(short.sw == 0x9000 && short.data.count == 64)
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.updateBinary(.holder, Records.holder(size: 512)).sw == 0x6700, "an extended write")
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        let holder = Records.holder(size: 512)
        for offset in stride(from: 0, to: 512, by: 240) {
            let chunk = Array(holder[offset..<min(offset + 240, 512)])
            #expect(terminal.updateBinary(.holder, offset: offset, chunk).sw == 0x9000)
        }
        #expect(terminal.authenticate(.issuingStation) == 0x9000)
        #expect(terminal.transmit([0x00, 0xB0, 0x80 | terminal.sfi(.holder), 0, 0]).data == Array(holder.prefix(256)))
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
