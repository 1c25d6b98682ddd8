import CardEmulator
import CardProfiles
import CardSecurity

/// The residence-permit card application (docs/CARD-SPEC.md) running on the reference emulator.
///
/// Everything product-specific comes from the card profile: the AID, the file layout and each file's
/// access rules (stored with the files at card initialisation), the command rules, the keys, the PIN
/// policy and the APDU limits. The applet value holds only the profile and the volatile secure-messaging
/// session; the persistent state (files, keys, PIN, life cycle) lives in the card's `CardState`, so a
/// state file restores a card exactly, and every command's effects are kept together or not at all.
///
/// Session rules (CARD-SPEC §2): credentials (one key, `pin`) and the secure-messaging session end at
/// power-off, reset, SELECT of the application, a new EXTERNAL AUTHENTICATE, a failed EXTERNAL
/// AUTHENTICATE and a secure-messaging failure (bare `6987`/`6988`).
public struct PermitApplet: CardApplet {
    let layout: PermitLayout
    /// The session opened by the last successful EXTERNAL AUTHENTICATE, and the key credential it came with.
    var channel: SecureMessagingChannel?
    /// The grant of the key that opened `channel`: the channel serves only while that credential is held
    /// (a state replaced from outside, which clears the credentials, also ends the session).
    var channelGrant: String?

    /// The application for cards of `profile`; fails for a profile it cannot run (an unimplemented suite).
    public init(profile: CardProfile) throws(PermitAppletError) {
        layout = try PermitLayout(profile: profile)
    }

    public var profile: CardProfile { layout.profile }

    public mutating func powerOn(session: inout CardSession) {
        channel = nil
        channelGrant = nil
    }

    public mutating func handle(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU? {
        if command.ins == 0xA4, command.cla == 0x00 {
            if command.p1 == 0x04, let response = selectByName(command, session: &session) { return response }
            return try select(command, session: &session)
        }
        guard session.currentDF == layout.applicationPath, Self.classes.contains(command.cla) else { return nil }
        // A challenge serves the next command only, even one that is refused.
        var work = session
        let challenge = work.takeChallenge()
        session.challenge = nil
        do {
            try checkLimits(command)
            let response: ResponseAPDU
            if command.cla & 0x0C == 0x0C {
                response = try secured(command, session: &work)
            } else {
                response = try plain(command, challenge: challenge, session: &work)
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

    /// Instructions that change the card: accepted only under secure messaging (CARD-SPEC §2).
    static let writes: Set<UInt8> = [0xD6, 0xDC, 0xE2, 0x47, 0xD8, 0x24, 0x2C, 0x44]

    /// The profile's APDU limits: no extended length unless allowed, at most `maxCommandData` bytes of data.
    private func checkLimits(_ command: CommandAPDU) throws(StatusWord) {
        let limits = layout.profile.apdu
        if command.isExtended, !limits.extendedLength { throw .wrongLength }
        if command.data.count > limits.maxCommandData { throw .wrongLength }
    }

    // MARK: - Plain commands

    private mutating func plain(_ command: CommandAPDU, challenge: [UInt8]?, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        if Self.writes.contains(command.ins) || (command.ins == 0x20 && !command.data.isEmpty) {
            // A write, a PIN or a key in the clear: refused, and the session is closed.
            return closeSession(.secureMessagingObjectsMissing, session: &session)
        }
        guard command.cla == 0x00 else { throw .instructionNotSupported }
        switch command.ins {
        case 0x84: return try getChallenge(command, session: &session)
        case 0x82: return externalAuthenticate(command, challenge: challenge, session: &session)
        default: return try execute(command, secured: false, session: &session)
        }
    }

    // MARK: - Secure messaging

    /// Unwraps a protected command, runs it, and wraps its answer (whatever its status) in a protected
    /// response. A command that fails to verify gets a bare `6987`/`6988` and closes the session.
    private mutating func secured(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard var channel, channel.isOpen, let channelGrant, session.security.granted.contains(channelGrant) else {
            return closeSession(.secureMessagingObjectsIncorrect, session: &session)
        }
        let inner: CommandAPDU
        let wasEncrypted: Bool
        do throws(CardSecurityError) {
            (inner, wasEncrypted) = try channel.unprotect(ProtectedCommand(command))
        } catch {
            return closeSession(StatusWord(error.secureMessagingStatusWord ?? 0x6988), session: &session)
        }
        if Self.carriesSecret(inner), !wasEncrypted {
            return closeSession(.secureMessagingObjectsMissing, session: &session)
        }
        var work = session
        let answer: ResponseAPDU
        do {
            answer = try execute(inner, secured: true, session: &work)
            session = work
        } catch {
            answer = ResponseAPDU(statusWord: error)
        }
        let wrapped: [UInt8]
        do throws(CardSecurityError) {
            wrapped = try channel.protect(answer, encrypt: wasEncrypted)
        } catch {
            return closeSession(.secureMessagingObjectsIncorrect, session: &session)
        }
        self.channel = channel
        return ResponseAPDU(data: Array(wrapped.dropLast(2)), statusWord: .success)
    }

    /// PINs and keys must travel encrypted in DO'87' (CARD-SPEC §7.17).
    private static func carriesSecret(_ command: CommandAPDU) -> Bool {
        [0x20, 0x24, 0x2C, 0xD8].contains(command.ins) && !command.data.isEmpty
    }

    /// Ends the session and drops every credential, answering `status` (bare, not protected).
    mutating func closeSession(_ status: StatusWord, session: inout CardSession) -> ResponseAPDU {
        channel = nil
        channelGrant = nil
        session.security.granted = []
        return ResponseAPDU(statusWord: status)
    }

    // MARK: - Dispatch

    /// Runs a command that arrived plain (reads, VERIFY without data, INTERNAL AUTHENTICATE) or unwrapped
    /// from secure messaging (`secured`, which adds the `sm` grant). A thrown status word changes nothing.
    private mutating func execute(_ command: CommandAPDU, secured: Bool, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        let proprietary = command.ins == 0xD8
        guard command.cla == (proprietary ? 0x80 : 0x00) else { throw .instructionNotSupported }
        var context = CommandContext(layout: layout, secured: secured, session: session)
        defer { session = context.session }
        switch command.ins {
        case 0xB0: return try context.readBinary(command)
        case 0xB2: return try context.readRecord(command)
        case 0xD6: return try context.updateBinary(command)
        case 0xDC: return try context.updateRecord(command)
        case 0xE2: return try context.appendRecord(command)
        case 0x20: return try context.verify(command)
        case 0x24: return try context.changeReferenceData(command)
        case 0x2C: return try context.resetRetryCounter(command)
        case 0x88: return try context.internalAuthenticate(command)
        case 0x47: return try context.generateKeyPair(command)
        case 0xD8: return try context.putKey(command)
        case 0x44: return try context.activate(command)
        default: throw .instructionNotSupported
        }
    }
}
