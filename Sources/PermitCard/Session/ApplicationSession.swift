import CardProfiles
import CardSecurity
import ISO7816

/// One conversation with the permit application on a connected card: the steps of CARD-SPEC §7 built
/// from `ApplicationCommands`, terminal authentication, secure messaging and the mapping of status words
/// to `PermitCardError`. Operations compose these steps; this type decides nothing about permits.
///
/// `exchange` is the one place a command is wrapped in secure messaging. Card protocol v2 (chip
/// authentication with key agreement first, every later command protected) changes that rule there.
struct ApplicationSession {
    let connection: any APDUConnection
    let profile: CardProfile
    let commands: ApplicationCommands
    private var secure: SecureMessagingChannel?

    init(connection: any APDUConnection, profile: CardProfile) throws(PermitCardError) {
        self.connection = connection
        self.profile = profile
        commands = try ApplicationCommands(profile: profile)
    }

    var files: ApplicationFiles { commands.files }

    // MARK: Steps

    /// Checks the ATR, then SELECTs the application: its FCI (§4). Credentials and session end here.
    mutating func select() async throws(PermitCardError) -> ApplicationFCI {
        secure = nil
        let atr: [UInt8]
        do { atr = try await connection.atr } catch { throw Self.communication(error) }
        guard profile.card.matchesATR(atr) else { throw .wrongProduct(atr: atr, profile: profile.name) }
        let response = try await exchange(try commands.select())
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
        guard let spec = profile.key(for: role) else {
            throw .roleNotHeld(operation: operation, missing: "a \(role) key in profile \(profile.name)")
        }
        let challenge = try await run(try commands.getChallenge())
        let (cryptogram, keys): ([UInt8], SessionKeys)
        do { (cryptogram, keys) = try TerminalAuthentication.authenticate(roleKey: key, cardNonce: challenge, serial: serial) } catch {
            throw .security(error)
        }
        let answer = try await exchange(try commands.externalAuthenticate(spec, cryptogram: cryptogram))
        switch answer.statusWord.value {
        case 0x9000: secure = SecureMessagingChannel(keys: keys)
        case 0x6300: throw .terminalAuthenticationFailed(role: role)
        default: throw .cardRefused(command: "EXTERNAL AUTHENTICATE", statusWord: answer.statusWord.value)
        }
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

    /// INTERNAL AUTHENTICATE: the chip's signature over the challenge.
    mutating func internalAuthenticate(_ challenge: [UInt8]) async throws(PermitCardError) -> [UInt8] {
        try await run(try commands.internalAuthenticate(challenge: challenge))
    }

    /// UPDATE BINARY of `data` at `offset`, in as many commands as the profile's limits need.
    mutating func writeBinary(_ file: BinaryFile, at offset: Int, _ data: [UInt8]) async throws(PermitCardError) {
        for command in try commands.updateBinary(file, at: offset, data) { try await run(command) }
    }

    /// VERIFY with the PIN encrypted under the open session (CARD-SPEC §7.9).
    mutating func verifyPIN(_ pin: String) async throws(PermitCardError) {
        try await run(try commands.verify(pin: pin))
    }

    // MARK: Sending

    /// Sends `command` and returns the card's answer to it: a protected command is wrapped in the open
    /// session's secure messaging and its answer unwrapped (a refused wrapping ends the session).
    mutating func exchange(_ command: PermitCommand) async throws(PermitCardError) -> ResponseAPDU {
        guard command.protection != .plain else { return try await send(command.apdu) }
        guard var channel = secure else { throw .cardRefused(command: command.name, statusWord: 0x6987) }
        var wrapped: CommandAPDU
        do throws(CardSecurityError) {
            wrapped = try channel.protect(command.apdu, encrypt: command.protection == .encrypted).apdu
        } catch { throw .security(error) }
        wrapped.redaction = command.protection == .encrypted ? .commandData : []
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
