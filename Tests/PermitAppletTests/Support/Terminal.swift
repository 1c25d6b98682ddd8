import CardEmulator
import CardProfiles
import CardSecurity
import PermitApplet

/// A response split for assertions.
struct Reply: Equatable, CustomStringConvertible {
    var data: [UInt8]
    var sw: UInt16

    var description: String { "\(Hex.encode(data)) \(StatusWord(sw))" }
}

/// A station's side of the conversation, built only from the spec and `CardSecurity`: it sends plain
/// SELECT and GENERAL AUTHENTICATE, authenticates a role inside the session and protects every other
/// command, its data encrypted (protocol v2), as a real terminal would.
final class Terminal {
    let card: EmulatedCard
    let profile: CardProfile
    let serial: CardSerial
    private(set) var channel: SecureMessagingChannel?
    /// The chip authentication of the open session.
    private(set) var chip: ChipSession?
    /// The wire bytes of the last protected command, for replay tests.
    private(set) var lastProtectedAPDU: [UInt8] = []

    init(card: EmulatedCard, profile: CardProfile, serial: CardSerial = Fixtures.serial) {
        self.card = card
        self.profile = profile
        self.serial = serial
    }

    /// Sends one APDU, collecting 61xx continuations with GET RESPONSE.
    @discardableResult
    func transmit(_ apdu: [UInt8]) -> Reply {
        var reply = split(card.transmit(apdu))
        while reply.sw >> 8 == 0x61 {
            let more = split(card.transmit([0x00, 0xC0, 0x00, 0x00, UInt8(reply.sw & 0xFF)]))
            reply = Reply(data: reply.data + more.data, sw: more.sw)
        }
        return reply
    }

    @discardableResult
    func transmit(_ hex: String) -> Reply { transmit(Hex.decode(hex)!) }

    private func split(_ bytes: [UInt8]) -> Reply {
        Reply(data: Array(bytes.dropLast(2)), sw: UInt16(bytes[bytes.count - 2]) << 8 | UInt16(bytes[bytes.count - 1]))
    }

    /// The FCI of the last SELECT of the application.
    private(set) var lastFCI = ControlInformationView([])
    /// The permit state an issuance step read last.
    var lastState = StateView([])

    @discardableResult
    func select() -> Reply {
        channel = nil
        chip = nil
        let aid = profile.card.aid
        let reply = transmit([0x00, 0xA4, 0x04, 0x00, UInt8(aid.count)] + aid + [0x00])
        lastFCI = ControlInformationView(reply.data)
        return reply
    }

    /// The card key of `role` for this card, derived the way CARD-SECURITY §4 says.
    func cardKey(_ role: KeyRole) -> CardKey {
        try! Fixtures.masterKeys.cardKey(for: role, serial: serial)
    }

    /// GENERAL AUTHENTICATE (chip authentication): the status word; on success the session is open.
    @discardableResult
    func authenticateChip() -> UInt16 {
        channel = nil
        chip = nil
        let request = try! ChipAuthentication.Request(suite: profile.suite)
        let reply = transmit([0x00, 0x86, 0x00, 0x00, UInt8(request.commandData.count)] + request.commandData + [0x00])
        guard reply.sw == 0x9000 else { return reply.sw }
        guard let session = try? request.accept(reply.data) else { return 0x6300 }
        chip = session
        channel = SecureMessagingChannel(keys: session.keys)
        return reply.sw
    }

    /// Chip authentication (unless a session is open), then EXTERNAL AUTHENTICATE under secure messaging
    /// with `key` under key number `number` and `version`: the inner status word. On success the card's
    /// own cryptogram was checked too (0x6301 when it is wrong).
    @discardableResult
    func authenticate(_ role: KeyRole, key: CardKey? = nil, number: Int? = nil, version: UInt8 = 1) -> UInt16 {
        if chip == nil || channel == nil {
            let sw = authenticateChip()
            guard sw == 0x9000 else { return sw }
        }
        let keyNumber = UInt8(number ?? profile.keys.first { $0.role.rawValue == role.rawValue }!.number)
        let roleKey = key ?? cardKey(role)
        let cryptogram = try! RoleAuthentication.terminalCryptogram(
            roleKey: roleKey, session: chip!, serial: serial, keyNumber: keyNumber, keyVersion: version)
        let reply = send(Self.command(0x00, 0x82, version, keyNumber, data: cryptogram, ne: 16))
        guard reply.sw == 0x9000 else { return reply.sw }
        let check = try? RoleAuthentication.checkCard(
            reply.data, roleKey: roleKey, session: chip!, serial: serial, keyNumber: keyNumber, keyVersion: version)
        return check == nil ? 0x6301 : 0x9000
    }

    /// Sends `command` under secure messaging, its data encrypted. Returns the protected response's inner
    /// status and data, or the bare status word when the card refused the command's protection (the session
    /// is then gone).
    @discardableResult
    func send(_ command: CommandAPDU) -> Reply {
        // Without a session on this side there is nothing to protect with: the card would answer a bare 6988.
        guard var channel else { return Reply(data: [], sw: 0x6988) }
        let apdu = try! channel.protect(command, encrypt: true, extendedLength: profile.apdu.extendedLength).apdu.bytes
        lastProtectedAPDU = apdu
        let raw = transmit(apdu)
        do {
            let plain = try channel.unprotect(response: raw.data + [UInt8(raw.sw >> 8), UInt8(raw.sw & 0xFF)])
            self.channel = channel
            return Reply(data: plain.data, sw: plain.statusWord.value)
        } catch {
            self.channel = nil
            return raw
        }
    }

    /// Sends `apdu` as is (a replayed or altered protected command, or a plain command); the raw answer. A
    /// bare 6987 or 6988 means the card ended the session, so this side forgets it too.
    func sendRaw(_ apdu: [UInt8]) -> Reply {
        let reply = split(card.transmit(apdu))
        if reply.sw == 0x6987 || reply.sw == 0x6988 {
            channel = nil
            chip = nil
        }
        return reply
    }

    // MARK: - Commands of CARD-SPEC §7

    static func command(_ cla: UInt8 = 0x00, _ ins: UInt8, _ p1: UInt8 = 0, _ p2: UInt8 = 0, data: [UInt8] = [], ne: Int = 0) -> CommandAPDU {
        CommandAPDU(cla: cla, ins: ins, p1: p1, p2: p2, data: data, ne: ne, isExtended: ne > 256)
    }

    func sfi(_ content: FileContent) -> UInt8 { UInt8(profile.file(holding: content).sfi!) }

    @discardableResult
    func updateBinary(_ content: FileContent, offset: Int = 0, _ data: [UInt8]) -> Reply {
        let p1p2: (UInt8, UInt8) = offset < 256 ? (0x80 | sfi(content), UInt8(offset)) : (UInt8(offset >> 8), UInt8(offset & 0xFF))
        return send(Self.command(0x00, 0xD6, p1p2.0, p1p2.1, data: data))
    }

    @discardableResult
    func updateRecord(_ content: FileContent, record: UInt8, _ data: [UInt8]) -> Reply {
        send(Self.command(0x00, 0xDC, record, sfi(content) << 3 | 0x04, data: data))
    }

    @discardableResult
    func appendRecord(_ content: FileContent, _ data: [UInt8]) -> Reply {
        send(Self.command(0x00, 0xE2, 0, sfi(content) << 3, data: data))
    }

    /// The largest answer one protected command asks for with this profile.
    var longAnswer: Int { profile.apdu.extendedLength ? 65_536 : 256 }

    /// READ BINARY of a whole file by SFI (protected).
    func readBinary(_ content: FileContent) -> Reply {
        send(Self.command(0x00, 0xB0, 0x80 | sfi(content), 0x00, ne: longAnswer))
    }

    /// READ RECORD of all records from 1 (protected).
    func readRecords(_ content: FileContent) -> Reply {
        send(Self.command(0x00, 0xB2, 0x01, sfi(content) << 3 | 0x05, ne: longAnswer))
    }

    /// GET DATA of the permit state (protected).
    func readState() -> Reply {
        send(Self.command(0x00, 0xCA, 0x01, 0x00, ne: longAnswer))
    }

    @discardableResult
    func putKey(_ role: KeyRole, key: CardKey? = nil, version: UInt8 = 1) -> Reply {
        let number = profile.keys.first { $0.role.rawValue == role.rawValue }!.number
        return send(Self.command(0x80, 0xD8, version, UInt8(number), data: (key ?? cardKey(role)).rawBytes))
    }

    var pinReference: UInt8 { 0x80 | UInt8(profile.pin?.reference ?? 1) }

    @discardableResult
    func setPIN(_ pin: String) -> Reply {
        send(Self.command(0x00, 0x24, 0x01, pinReference, data: Array(pin.utf8)))
    }

    /// The PUK the test issuance sets (the profiles' PUKs are 8 digits).
    static let puk = "13572468"

    var pukReference: UInt8 { 0x80 | UInt8(profile.pin?.puk?.reference ?? 2) }

    @discardableResult
    func setPUK(_ puk: String = Terminal.puk) -> Reply {
        send(Self.command(0x00, 0x24, 0x01, pukReference, data: Array(puk.utf8)))
    }

    /// RESET RETRY COUNTER with `puk`, and `newPIN` when given.
    @discardableResult
    func unblock(puk: String = Terminal.puk, newPIN: String? = nil) -> Reply {
        send(Self.command(0x00, 0x2C, newPIN == nil ? 0x01 : 0x00, pinReference, data: Array(puk.utf8) + Array((newPIN ?? "").utf8)))
    }

    /// CHANGE REFERENCE DATA with the old PIN (padded with FF to the longest PIN) and the new one.
    @discardableResult
    func changePIN(old: String, new: String) -> Reply {
        let longest = profile.pin?.maxLength ?? old.count
        return send(Self.command(0x00, 0x24, 0x00, pinReference, data: Array(old.utf8) + [UInt8](repeating: 0xFF, count: longest - old.count) + Array(new.utf8)))
    }

    @discardableResult
    func verify(_ pin: String) -> Reply {
        send(Self.command(0x00, 0x20, 0x00, pinReference, data: Array(pin.utf8)))
    }

    @discardableResult
    func finalise() -> Reply { send(Self.command(0x00, 0x44)) }
}
