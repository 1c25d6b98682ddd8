import CardProfiles
import CardSecurity
import ISO7816

/// One conversation with the permit application on a connected card (protocol v2, CARD-SPEC §2): SELECT,
/// chip authentication (GENERAL AUTHENTICATE) which opens encrypted, MACed secure messaging, mutual role
/// authentication inside it, and every later command protected. Also the mapping of status words to
/// `PermitCardError`. Operations compose these steps; this type decides nothing about permits.
///
/// `exchange` is the one place a command is wrapped in secure messaging: everything but SELECT and
/// GENERAL AUTHENTICATE, which is the rule of protocol v2.
struct ApplicationSession {
    let connection: any APDUConnection
    let profile: CardProfile
    let commands: ApplicationCommands
    private var secure: SecureMessagingChannel?
    /// The chip authentication of this session, once made.
    private(set) var chip: ChipSession?

    init(connection: any APDUConnection, profile: CardProfile) throws(PermitCardError) {
        self.connection = connection
        self.profile = profile
        commands = try ApplicationCommands(profile: profile)
    }

    var files: ApplicationFiles { commands.files }

    // MARK: Steps

    /// Checks the ATR, then SELECTs the application: its FCI (§4). A card personalised for another suite
    /// or profile is refused here, before any key is used: the profile pins the suite. The session ends here.
    mutating func select() async throws(PermitCardError) -> ApplicationFCI {
        secure = nil
        chip = nil
        let atr: [UInt8]
        do { atr = try await connection.atr } catch { throw Self.communication(error) }
        guard profile.card.matchesATR(atr) else { throw .wrongProduct(atr: atr, profile: profile.name) }
        let response = try await exchange(try commands.select())
        guard response.statusWord == .success else {
            if response.statusWord.value == 0x6A82 { throw .applicationNotFound(aid: profile.card.aid, profile: profile.name) }
            throw .cardRefused(command: "SELECT", statusWord: response.statusWord.value)
        }
        let fci: ApplicationFCI
        do throws(CardDataError) { fci = try ApplicationFCI(decoding: response.data) } catch { throw .malformedCard(error) }
        if let suite = fci.suite, suite != profile.suite {
            throw .suiteMismatch(card: suite, profile: profile.name, pinned: profile.suite)
        }
        if let name = fci.profileName, name != profile.name {
            throw .wrongProduct(atr: atr, profile: profile.name)
        }
        return fci
    }

    /// GENERAL AUTHENTICATE: chip authentication against the chip key, with the profile's suite. Opens
    /// secure messaging; a chip that cannot answer for the key it presents is a copy.
    mutating func authenticateChip() async throws(PermitCardError) -> ChipSession {
        secure = nil
        chip = nil
        let request: ChipAuthentication.Request
        do { request = try ChipAuthentication.Request(suite: profile.suite) } catch { throw .security(error) }
        let command = try commands.generalAuthenticate(request.commandData)
        let response = try await exchange(command)
        guard response.statusWord == .success else {
            throw .copiedCard(reason: "the chip refused chip authentication (\(command.name) answered \(String(format: "%04X", response.statusWord.value))): it cannot prove it holds its chip key")
        }
        let answer = response.data
        do {
            let session = try request.accept(answer)
            chip = session
            secure = SecureMessagingChannel(keys: session.keys)
            return session
        } catch {
            if case .chipAuthenticationFailed(let reason) = error { throw .copiedCard(reason: reason) }
            throw .security(error)
        }
    }

    /// EXTERNAL AUTHENTICATE (mutual, protected) with this card's key for `role` in the version the card
    /// holds (FCI C7): the terminal proves the role, the card proves it holds the same key.
    mutating func authenticate(
        _ role: KeyRole, terminal: PermitTerminal, fci: ApplicationFCI, for operation: String
    ) async throws(PermitCardError) {
        guard let chip else { throw .cardRefused(command: "EXTERNAL AUTHENTICATE", statusWord: 0x6985) }
        guard let spec = profile.key(for: role) else {
            throw .roleNotHeld(operation: operation, missing: "a \(role) key in profile \(profile.name)")
        }
        guard let version = fci.keyVersions[spec.number] else {
            throw .malformedCard(.invalidField("FCI key versions", "the card holds no \(role) key (number \(spec.number))"))
        }
        let key = try terminal.cardKey(role, version: version, profile: profile, serial: fci.serial, for: operation)
        let (number, keyVersion) = (UInt8(truncatingIfNeeded: spec.number), UInt8(truncatingIfNeeded: version))
        let cryptogram: [UInt8]
        do {
            cryptogram = try RoleAuthentication.terminalCryptogram(
                roleKey: key, session: chip, serial: fci.serial, keyNumber: number, keyVersion: keyVersion)
        } catch { throw .security(error) }
        let command = try commands.externalAuthenticate(spec, version: keyVersion, cryptogram: cryptogram)
        let answer = try await exchange(command)
        switch answer.statusWord.value {
        case 0x9000: break
        case 0x6300:
            secure = nil
            throw .terminalAuthenticationFailed(role: role)
        default: throw Self.refusal(answer.statusWord.value, command.name)
        }
        do {
            try RoleAuthentication.checkCard(
                answer.data, roleKey: key, session: chip, serial: fci.serial, keyNumber: number, keyVersion: keyVersion)
        } catch {
            secure = nil
            throw .copiedCard(reason: "the card's answer to role authentication is not its \(role) cryptogram: it is not a card the authority issued")
        }
    }

    /// SELECT, chip authentication and role authentication: the start of every operation after which a
    /// station may read what it decides on and sign.
    mutating func open(_ role: KeyRole, terminal: PermitTerminal, for operation: String) async throws(PermitCardError) -> ApplicationFCI {
        let fci = try await select()
        _ = try await authenticateChip()
        try await authenticate(role, terminal: terminal, fci: fci, for: operation)
        return fci
    }

    /// GET DATA of the permit state (§7.18).
    mutating func readState() async throws(PermitCardError) -> PermitStateData {
        let data = try await run(try commands.getState())
        do throws(CardDataError) { return try PermitStateData(decoding: data) } catch { throw .malformedCard(error) }
    }

    /// READ BINARY of a whole transparent file: one APDU with extended length, else chunks.
    mutating func readBinary(_ file: BinaryFile) async throws(PermitCardError) -> [UInt8] {
        var contents: [UInt8] = []
        repeat {
            let part = try await run(try commands.readBinary(file, from: contents.count))
            guard !part.isEmpty else { break }
            contents += part
        } while contents.count < file.size
        guard contents.count == file.size else {
            throw .malformedCard(.invalidLayout(file.name, "read \(contents.count) bytes of a \(file.size)-byte file"))
        }
        return contents
    }

    /// READ RECORD of every record from 1; an empty file (`6A 83`) gives none.
    mutating func readRecords(_ file: RecordFile) async throws(PermitCardError) -> [[UInt8]] {
        let command = try commands.readRecords(file)
        let response = try await exchange(command)
        if response.statusWord.value == 0x6A83 { return [] }
        guard response.statusWord == .success else { throw Self.refusal(response.statusWord.value, command.name) }
        let length = file.recordLength
        guard response.data.count % length == 0 else {
            throw .malformedCard(.invalidLayout(file.name, "\(response.data.count) bytes are not whole \(length)-byte records"))
        }
        return stride(from: 0, to: response.data.count, by: length).map { Array(response.data[$0..<($0 + length)]) }
    }

    /// UPDATE BINARY of `data` at `offset`, in as many commands as the profile's limits need.
    mutating func writeBinary(_ file: BinaryFile, at offset: Int, _ data: [UInt8]) async throws(PermitCardError) {
        for command in try commands.updateBinary(file, at: offset, data) { try await run(command) }
    }

    /// VERIFY of the holder PIN (CARD-SPEC §7.9).
    mutating func verifyPIN(_ pin: String) async throws(PermitCardError) {
        try await run(try commands.verify(pin: pin))
    }

    // MARK: Sending

    /// Sends `command` and returns the card's answer to it: a protected command is wrapped in the open
    /// session's secure messaging, its data encrypted, and its answer unwrapped (a refused wrapping ends
    /// the session). A protected command without a session is never sent.
    mutating func exchange(_ command: PermitCommand) async throws(PermitCardError) -> ResponseAPDU {
        guard command.protection == .secure else { return try await send(command.apdu) }
        guard var channel = secure else { throw .cardRefused(command: command.name, statusWord: 0x6987) }
        var wrapped: CommandAPDU
        do throws(CardSecurityError) {
            wrapped = try channel.protect(command.apdu, encrypt: true, extendedLength: profile.apdu.extendedLength).apdu
        } catch { throw .security(error) }
        wrapped.redaction = command.apdu.redaction.isEmpty ? [] : .commandData
        let response = try await send(wrapped)
        do {
            let plain = try channel.unprotect(response: response.bytes)
            secure = channel
            return plain
        } catch {
            secure = nil
            if case .cardRefusedSecureMessaging(let word) = error { throw Self.refusal(word, command.name) }
            throw .security(error)
        }
    }

    /// `exchange`, requiring `90 00`: the answer's data, or the error for the card's refusal.
    @discardableResult
    mutating func run(_ command: PermitCommand) async throws(PermitCardError) -> [UInt8] {
        let response = try await exchange(command)
        guard response.statusWord == .success else { throw Self.refusal(response.statusWord.value, command.name) }
        return response.data
    }

    private func send(_ command: CommandAPDU) async throws(PermitCardError) -> ResponseAPDU {
        do { return try await connection.send(command) } catch { throw Self.communication(error) }
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
