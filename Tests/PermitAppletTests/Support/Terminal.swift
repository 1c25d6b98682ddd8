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
/// APDUs, authenticates a role and protects commands with the session it opened, as a real terminal would.
final class Terminal {
    let card: EmulatedCard
    let profile: CardProfile
    let serial: CardSerial
    private(set) var channel: SecureMessagingChannel?
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

    @discardableResult
    func select() -> Reply {
        channel = nil
        let aid = profile.card.aid
        let reply = transmit([0x00, 0xA4, 0x04, 0x00, UInt8(aid.count)] + aid + [0x00])
        lastFCI = ControlInformationView(reply.data)
        return reply
    }

    /// The card key of `role` for this card, derived the way CARD-SECURITY §4 says.
    func cardKey(_ role: KeyRole) -> CardKey {
        try! Fixtures.masterKeys.cardKey(for: role, serial: serial)
    }

    /// GET CHALLENGE + EXTERNAL AUTHENTICATE with `key` under key number `number`; the status word of
    /// EXTERNAL AUTHENTICATE. On success the terminal holds the session.
    @discardableResult
    func authenticate(_ role: KeyRole, key: CardKey? = nil, number: Int? = nil) -> UInt16 {
        channel = nil
        let challenge = transmit("0084000008")
        guard challenge.sw == 0x9000 else { return challenge.sw }
        let keyNumber = number ?? profile.keys.first { $0.role.rawValue == role.rawValue }!.number
        let (data, keys) = try! TerminalAuthentication.authenticate(
            roleKey: key ?? cardKey(role), cardNonce: challenge.data, serial: serial)
        let reply = transmit([0x00, 0x82, 0x00, UInt8(keyNumber), UInt8(data.count)] + data)
        if reply.sw == 0x9000 { channel = SecureMessagingChannel(keys: keys) }
        return reply.sw
    }

    /// Sends `command` under secure messaging. Returns the protected response's inner status and data,
    /// or the bare status word when the card refused the command's protection (the session is then gone).
    @discardableResult
    func send(_ command: CommandAPDU, encrypt: Bool = false) -> Reply {
        guard var channel else { preconditionFailure("authenticate first") }
        let apdu = try! channel.protect(command, encrypt: encrypt).apdu.bytes
        lastProtectedAPDU = apdu
        let raw = card.transmit(apdu)
        do {
            let plain = try channel.unprotect(response: raw)
            self.channel = channel
            return Reply(data: plain.data, sw: plain.statusWord.value)
        } catch {
            self.channel = nil
            return split(raw)
        }
    }

    /// Sends `apdu` as is (a replayed or altered protected command); the raw answer.
    func sendRaw(_ apdu: [UInt8]) -> Reply { split(card.transmit(apdu)) }

    // MARK: - Commands of CARD-SPEC §7

    static func command(_ cla: UInt8 = 0x00, _ ins: UInt8, _ p1: UInt8 = 0, _ p2: UInt8 = 0, data: [UInt8] = [], ne: Int = 0) -> CommandAPDU {
        CommandAPDU(cla: cla, ins: ins, p1: p1, p2: p2, data: data, ne: ne, isExtended: false)
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

    /// READ BINARY of a whole file by SFI with extended Le (plain).
    func readBinary(_ content: FileContent) -> Reply {
        transmit([0x00, 0xB0, 0x80 | sfi(content), 0x00, 0x00, 0x00, 0x00])
    }

    /// READ RECORD of all records from 1 (plain, extended Le).
    func readRecords(_ content: FileContent) -> Reply {
        transmit([0x00, 0xB2, 0x01, sfi(content) << 3 | 0x05, 0x00, 0x00, 0x00])
    }

    @discardableResult
    func generateChipKey() -> Reply { send(Self.command(0x00, 0x47, 0x80, 0x00, ne: 0x43)) }

    @discardableResult
    func putKey(_ role: KeyRole, key: CardKey? = nil, version: UInt8 = 1) -> Reply {
        let number = profile.keys.first { $0.role.rawValue == role.rawValue }!.number
        return send(Self.command(0x80, 0xD8, version, UInt8(number), data: (key ?? cardKey(role)).rawBytes), encrypt: true)
    }

    var pinReference: UInt8 { 0x80 | UInt8(profile.pin?.reference ?? 1) }

    @discardableResult
    func setPIN(_ pin: String) -> Reply {
        send(Self.command(0x00, 0x24, 0x01, pinReference, data: Array(pin.utf8)), encrypt: true)
    }

    @discardableResult
    func verify(_ pin: String) -> Reply {
        send(Self.command(0x00, 0x20, 0x00, pinReference, data: Array(pin.utf8)), encrypt: true)
    }

    @discardableResult
    func finalise() -> Reply { send(Self.command(0x00, 0x44)) }

    func internalAuthenticate(_ challenge: [UInt8]) -> Reply {
        transmit([0x00, 0x88, 0x00, 0x00, UInt8(challenge.count)] + challenge + [0x00])
    }
}
