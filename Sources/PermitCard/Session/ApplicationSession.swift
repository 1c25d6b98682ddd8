import ISO7816
import CardProfiles
import CardSecurity

/// One conversation with the permit application on a connected card: the APDUs of CARD-SPEC §7,
/// terminal authentication, secure messaging and the mapping of status words to `PermitCardError`.
/// Operations compose these steps; this type decides nothing about permits.
struct ApplicationSession {
    let connection: any APDUConnection
    let profile: CardProfile
    private var secure: SecureMessagingChannel?

    init(connection: any APDUConnection, profile: CardProfile) {
        self.connection = connection
        self.profile = profile
    }

    // MARK: Plain commands

    /// Checks the ATR, then SELECTs the application: its FCI (§4). Credentials and session end here.
    mutating func select() async throws(PermitCardError) -> ApplicationFCI {
        secure = nil
        let atr: [UInt8]
        do { atr = try await connection.atr } catch { throw Self.communication(error) }
        guard profile.card.matchesATR(atr) else { throw .wrongProduct(atr: atr, profile: profile.name) }
        let response = try await send(try apdu(0x00, 0xA4, 0x04, 0x00, data: profile.card.aid, ne: 256), "SELECT")
        guard response.statusWord == .success else {
            if response.statusWord.value == 0x6A82 { throw .applicationNotFound(aid: profile.card.aid, profile: profile.name) }
            throw .cardRefused(command: "SELECT", statusWord: response.statusWord.value)
        }
        do throws(CardDataError) { return try ApplicationFCI(decoding: response.data) } catch { throw .malformedCard(error) }
    }

    /// GET CHALLENGE and EXTERNAL AUTHENTICATE with this card's key for `role`; opens secure messaging.
    mutating func authenticate(
        _ role: KeyRole, terminal: PermitTerminal, serial: CardSerial, for operation: String
    ) async throws(PermitCardError) {
        secure = nil
        let key = try terminal.cardKey(role, profile: profile, serial: serial, for: operation)
        let spec = profile.key(for: role)!
        let challenge = try await expectSuccess(try apdu(0x00, 0x84, 0x00, 0x00, ne: 8), "GET CHALLENGE").data
        let (data, keys): ([UInt8], SessionKeys)
        do { (data, keys) = try TerminalAuthentication.authenticate(roleKey: key, cardNonce: challenge, serial: serial) } catch {
            throw .security(error)
        }
        let answer = try await send(try apdu(0x00, 0x82, 0x00, UInt8(spec.number), data: data, redaction: .commandData), "EXTERNAL AUTHENTICATE")
        switch answer.statusWord.value {
        case 0x9000: secure = SecureMessagingChannel(keys: keys)
        case 0x6300: throw .terminalAuthenticationFailed(role: role)
        default: throw .cardRefused(command: "EXTERNAL AUTHENTICATE", statusWord: answer.statusWord.value)
        }
    }

    /// READ BINARY of a whole transparent file by SFI: one APDU with extended length, else chunks.
    func readBinary(_ file: FileSpec) async throws(PermitCardError) -> [UInt8] {
        let name = "READ BINARY \(file.name)"
        let size = file.structure.capacity
        let chunk = profile.apdu.extendedLength ? min(size, profile.apdu.maxResponseData) : min(size, 256)
        var contents = try await expectSuccess(try apdu(0x00, 0xB0, 0x80 | UInt8(file.sfi!), 0x00, ne: chunk), name).data
        while contents.count < size {
            let offset = contents.count
            let part = try await expectSuccess(
                try apdu(0x00, 0xB0, UInt8(offset >> 8), UInt8(offset & 0xFF), ne: min(chunk, size - offset)), name).data
            guard !part.isEmpty else { break }
            contents += part
        }
        guard contents.count == size else {
            throw .malformedCard(.invalidLayout(file.name, "read \(contents.count) bytes of a \(size)-byte file"))
        }
        return contents
    }

    /// READ RECORD of every record from 1 (P2 = SFI << 3 | 5); an empty file (`6A 83`) gives none.
    func readRecords(_ file: FileSpec) async throws(PermitCardError) -> [[UInt8]] {
        let length = file.structure.recordLength!
        let ne = profile.apdu.extendedLength ? min(65_536, profile.apdu.maxResponseData) : 256
        let response = try await send(try apdu(0x00, 0xB2, 0x01, UInt8(file.sfi! << 3 | 0x05), ne: ne), "READ RECORD \(file.name)")
        if response.statusWord.value == 0x6A83 { return [] }
        guard response.statusWord == .success else { throw Self.refusal(response.statusWord.value, "READ RECORD \(file.name)") }
        guard response.data.count % length == 0 else {
            throw .malformedCard(.invalidLayout(file.name, "\(response.data.count) bytes are not whole \(length)-byte records"))
        }
        return stride(from: 0, to: response.data.count, by: length).map { Array(response.data[$0..<($0 + length)]) }
    }

    /// INTERNAL AUTHENTICATE: the chip's signature over the challenge.
    func internalAuthenticate(_ challenge: [UInt8]) async throws(PermitCardError) -> [UInt8] {
        try await expectSuccess(try apdu(0x00, 0x88, 0x00, 0x00, data: challenge, ne: 256), "INTERNAL AUTHENTICATE").data
    }

    // MARK: Protected commands

    /// Sends `command` under secure messaging and returns the card's inner answer; any status word
    /// other than `90 00` becomes the matching error.
    @discardableResult
    mutating func protected(
        _ name: String, cla: UInt8 = 0x00, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], expected: Int? = nil,
        encrypt: Bool = false
    ) async throws(PermitCardError) -> [UInt8] {
        guard var channel = secure else { throw .cardRefused(command: name, statusWord: 0x6987) }
        let request = try apdu(cla, ins, p1, p2, data: data, ne: expected ?? 0)
        var command: CommandAPDU
        do throws(CardSecurityError) {
            command = try channel.protect(request, encrypt: encrypt).apdu
        } catch { throw .security(error) }
        command.redaction = encrypt ? .commandData : []
        let response = try await send(command, name)
        let plain: ResponseAPDU
        do {
            plain = try channel.unprotect(response: response.bytes)
        } catch {
            secure = nil
            if case .cardRefusedSecureMessaging(let word) = error {
                if word == 0x6987 || word == 0x6988 { throw .secureMessagingRejected(command: name, statusWord: word) }
                throw Self.refusal(word, name)
            }
            throw .security(error)
        }
        secure = channel
        guard plain.statusWord == 0x9000 else { throw Self.refusal(plain.statusWord.value, name) }
        return plain.data
    }

    // MARK: Plumbing

    func apdu(
        _ cla: UInt8, _ ins: UInt8, _ p1: UInt8, _ p2: UInt8, data: [UInt8] = [], ne: Int = 0, redaction: TraceRedaction = []
    ) throws(PermitCardError) -> CommandAPDU {
        do { return try CommandAPDU(cla: cla, ins: ins, p1: p1, p2: p2, data: data, ne: ne, redaction: redaction) } catch {
            throw .cardRefused(command: "\([ins].hexString)", statusWord: 0x6700)
        }
    }

    func send(_ command: CommandAPDU, _ name: String) async throws(PermitCardError) -> ResponseAPDU {
        do { return try await connection.send(command) } catch { throw Self.communication(error) }
    }

    func expectSuccess(_ command: CommandAPDU, _ name: String) async throws(PermitCardError) -> ResponseAPDU {
        let response = try await send(command, name)
        guard response.statusWord == .success else { throw Self.refusal(response.statusWord.value, name) }
        return response
    }

    /// The error for a card's refusal of `command`.
    static func refusal(_ word: UInt16, _ command: String) -> PermitCardError {
        switch word {
        case 0x6982: .accessDenied(command: command)
        case 0x6983: .pinBlocked
        case 0x6987, 0x6988: .secureMessagingRejected(command: command, statusWord: word)
        case 0x63C0: .pinBlocked
        case let tries where tries & 0xFFF0 == 0x63C0: .wrongPIN(triesLeft: Int(tries & 0x0F))
        default: .cardRefused(command: command, statusWord: word)
        }
    }

    static func communication(_ error: any Error) -> PermitCardError {
        .communication("\(error)")
    }
}

extension ApplicationSession {
    /// UPDATE BINARY of `data` at `offset` under secure messaging, in as few commands as the profile's
    /// APDU limits allow: the first addressed by SFI, the rest by offset in the then current EF.
    mutating func writeBinary(_ file: FileSpec, offset: Int, data: [UInt8]) async throws(PermitCardError) {
        let limit = profile.apdu.extendedLength ? profile.apdu.maxCommandData : min(profile.apdu.maxCommandData, 255)
        var chunk = limit - 10
        while chunk > 0, chunk + (chunk < 128 ? 2 : chunk < 256 ? 3 : 4) + 10 > limit { chunk -= 1 }
        var start = 0
        while start < data.count {
            let part = Array(data[start..<min(data.count, start + chunk)])
            let position = offset + start
            let (p1, p2): (UInt8, UInt8) = start == 0 && position <= 0xFF
                ? (0x80 | UInt8(file.sfi!), UInt8(position))
                : (UInt8(position >> 8), UInt8(position & 0xFF))
            try await protected("UPDATE BINARY \(file.name)", ins: 0xD6, p1: p1, p2: p2, data: part)
            start += part.count
        }
    }
}
