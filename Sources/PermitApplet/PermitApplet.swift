import CardEmulator
import CardProfiles
import CardSecurity

/// The residence-permit card application (docs/CARD-SPEC.md, protocol version 2) running on the
/// reference emulator.
///
/// Everything product-specific comes from the card profile: the AID, the file layout and each file's
/// access rules (stored with the files at card initialisation), the command rules, the keys, the PIN
/// policy and the APDU limits. The applet value holds only the profile and the volatile session; the
/// persistent state (files, keys, PIN, chip key, life cycle) lives in the card's `CardState`, so a state
/// file restores a card exactly, and every command's effects are kept together or not at all.
///
/// Session rules (CARD-SPEC §2): without a session the card answers SELECT and GENERAL AUTHENTICATE
/// only. GENERAL AUTHENTICATE (chip authentication) opens a session; inside it every command must come
/// under encrypted, MACed secure messaging, and role credentials come from EXTERNAL AUTHENTICATE. The
/// session and its credentials end at power-off, reset, SELECT, a new GENERAL AUTHENTICATE, a failed
/// EXTERNAL AUTHENTICATE, a secure-messaging failure (bare `6987`/`6988`) and any plain command (`6987`).
public struct PermitApplet: CardApplet {
    let layout: PermitLayout
    /// The open session, if any.
    var session: AppletSession?

    /// The application for cards of `profile`; fails for a profile it cannot run (an unimplemented suite).
    public init(profile: CardProfile) throws(PermitAppletError) {
        layout = try PermitLayout(profile: profile)
    }

    public var profile: CardProfile { layout.profile }

    public mutating func powerOn(session: inout CardSession) {
        self.session = nil
    }

    public mutating func handle(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU? {
        if command.ins == 0xA4, command.cla == 0x00 {
            if command.p1 == 0x04, let response = selectByName(command, session: &session) { return response }
            return try select(command, session: &session)
        }
        guard session.currentDF == layout.applicationPath, Self.classes.contains(command.cla) else { return nil }
        var work = session
        do {
            try checkLimits(command)
            let response: ResponseAPDU
            if command.cla & 0x0C == 0x0C {
                response = try secured(command, session: &work)
            } else {
                response = try plain(command, session: &work)
            }
            session = work
            return response
        } catch {
            return ResponseAPDU(statusWord: error)
        }
    }

    /// Interindustry and proprietary classes, plain or with secure messaging; other classes (logical
    /// channels, other SM indications) are left to the ISO command set, which refuses them.
    private static let classes: Set<UInt8> = [0x00, 0x0C, 0x80, 0x8C]

    /// The profile's APDU limits: no extended length unless allowed, at most `maxCommandData` bytes of data.
    private func checkLimits(_ command: CommandAPDU) throws(StatusWord) {
        let limits = layout.profile.apdu
        if command.isExtended, !limits.extendedLength { throw .wrongLength }
        if command.data.count > limits.maxCommandData { throw .wrongLength }
    }

    // MARK: - Plain commands

    /// GENERAL AUTHENTICATE opens a session. Any other plain command is refused: inside a session it ends
    /// the session (`6987`, so an injected command cannot ride on an officer's authentication); outside
    /// one, nothing may be done without a session (`6982`).
    private mutating func plain(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        if command.cla == 0x00, command.ins == 0x86 { return try generalAuthenticate(command, session: &session) }
        guard self.session == nil else { return closeSession(.secureMessagingObjectsMissing, session: &session) }
        throw .securityStatusNotSatisfied
    }

    // MARK: - Secure messaging

    /// Unwraps a protected command, runs it, and wraps its answer (whatever its status) in a protected
    /// response with its data encrypted. A command that fails to verify, or carries data that is not
    /// encrypted, gets a bare `6987`/`6988` and closes the session.
    private mutating func secured(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard var open = self.session, open.channel.isOpen else {
            return closeSession(.secureMessagingObjectsIncorrect, session: &session)
        }
        let inner: CommandAPDU
        do throws(CardSecurityError) {
            let (unwrapped, wasEncrypted) = try open.channel.unprotect(ProtectedCommand(command))
            guard unwrapped.data.isEmpty || wasEncrypted else { throw .secureMessagingMalformed("command data not encrypted") }
            inner = unwrapped
        } catch {
            return closeSession(StatusWord(error.secureMessagingStatusWord ?? 0x6988), session: &session)
        }
        self.session = open
        var work = session
        let answer: ResponseAPDU
        do {
            answer = try execute(inner, session: &work)
            session = work
        } catch {
            answer = ResponseAPDU(statusWord: error)
            session.security.granted = work.security.granted
        }
        guard var current = self.session else { return closeSession(.secureMessagingObjectsIncorrect, session: &session) }
        let wrapped: [UInt8]
        do throws(CardSecurityError) {
            wrapped = try current.channel.protect(answer, encrypt: true)
        } catch {
            return closeSession(.secureMessagingObjectsIncorrect, session: &session)
        }
        if current.endsAfterAnswer {
            endSession(&session)
        } else {
            self.session = current
        }
        return ResponseAPDU(data: Array(wrapped.dropLast(2)), statusWord: .success)
    }

    /// Ends the session and drops every credential, answering `status` (bare, not protected).
    mutating func closeSession(_ status: StatusWord, session: inout CardSession) -> ResponseAPDU {
        endSession(&session)
        return ResponseAPDU(statusWord: status)
    }

    // MARK: - Dispatch

    /// Runs a command unwrapped from secure messaging. A thrown status word changes nothing.
    private mutating func execute(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        let proprietary = command.ins == 0xD8
        guard command.cla == (proprietary ? 0x80 : 0x00) else { throw .instructionNotSupported }
        if command.ins == 0x82 { return try externalAuthenticate(command, session: &session) }
        var context = CommandContext(layout: layout, session: session)
        defer { session = context.session }
        switch command.ins {
        case 0xB0: return try context.readBinary(command)
        case 0xB2: return try context.readRecord(command)
        case 0xCA: return try context.getData(command)
        case 0xD6: return try context.updateBinary(command)
        case 0xDC: return try context.updateRecord(command)
        case 0xE2: return try context.appendRecord(command)
        case 0x20: return try context.verify(command)
        case 0x24: return try context.changeReferenceData(command)
        case 0x2C: return try context.resetRetryCounter(command)
        case 0xD8: return try context.putKey(command)
        case 0x44: return try context.activate(command)
        default: throw .instructionNotSupported
        }
    }
}
