import CardEmulator
import CardProfiles
import CardSecurity

/// SELECT, GENERAL AUTHENTICATE (chip authentication) and EXTERNAL AUTHENTICATE (role authentication)
/// (CARD-SPEC §4, §7.1, §7.7, §7.8): the commands that start and end sessions, so they live on the
/// applet, which holds the session.
extension PermitApplet {
    /// SELECT by DF name: the permit application answers with its own FCI and ends any session; another
    /// name is left to the ISO command set.
    mutating func selectByName(_ command: CommandAPDU, session: inout CardSession) -> ResponseAPDU? {
        guard (1...16).contains(command.data.count), command.p2 & 0x03 == 0,
              session.state.fileSystem.dedicatedFiles(namePrefix: command.data).first?.path == layout.applicationPath
        else { return nil }
        guard [0x00, 0x04, 0x0C].contains(command.p2) else { return ResponseAPDU(statusWord: .incorrectP1P2) }
        endSession(&session)
        session.currentDF = layout.applicationPath
        session.currentEF = nil
        session.currentRecord = nil
        return command.p2 == 0x0C ? ResponseAPDU() : ResponseAPDU(data: ControlInformation.fci(of: session.state, layout: layout))
    }

    /// Any other SELECT runs in the ISO command set and ends the session (a SELECT is a plain command).
    /// Selecting the application DF itself (by FID or path) answers as SELECT by AID does.
    mutating func select(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU? {
        var work = session
        var response = try work.executeISO(command)
        endSession(&work)
        if work.currentDF == layout.applicationPath, work.currentEF == nil, command.p2 & 0x0C == 0 {
            response = ResponseAPDU(data: ControlInformation.fci(of: work.state, layout: layout))
        }
        session = work
        return response
    }

    /// Ends the secure-messaging session and drops every credential.
    mutating func endSession(_ session: inout CardSession) {
        self.session = nil
        session.security.granted = []
        session.challenge = nil
    }

    /// GENERAL AUTHENTICATE `00 86 00 00 Lc 7C {80 PK_eph, 81 r_IFD} 00` (plain): chip authentication
    /// against the chip key, which opens a new secure-messaging session without any role credential.
    mutating func generalAuthenticate(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        endSession(&session)
        guard command.p1 == 0x00, command.p2 == 0x00 else { throw .incorrectP1P2 }
        guard let raw = session.state.chipPrivateKey else { throw .conditionsOfUseNotSatisfied }
        let chipKeyFile = Array(layout.transparent(.chipPublicKey, in: session.state).prefix(ChipKeyFile.length))
        guard let chipKey = try? AgreementKey(rawRepresentation: raw, suite: layout.suite) else { throw .noPreciseDiagnosis }
        do throws(CardSecurityError) {
            let (answer, chip) = try ChipAuthentication.respond(
                to: command.data, chipKey: chipKey, chipKeyFile: chipKeyFile,
                cardNonce: session.random.bytes(ChipAuthentication.nonceLength))
            self.session = AppletSession(chip: chip)
            return ResponseAPDU(data: answer)
        } catch {
            switch error {
            case .malformedSecurityObject, .malformedKey, .invalidLength: throw .incorrectData
            default: throw .noPreciseDiagnosis
            }
        }
    }

    /// EXTERNAL AUTHENTICATE (protected) `00 82 version number 10 cryptogram 00`: mutual role
    /// authentication bound to this session. Success replaces the credentials with the key's and answers
    /// the card's cryptogram; a wrong cryptogram answers `63 00` and, once that answer is sent, the session ends.
    mutating func externalAuthenticate(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard let chip = self.session?.chip else { throw .conditionsOfUseNotSatisfied }
        guard let spec = layout.profile.keys.first(where: { $0.number == Int(command.p2) }),
              let stored = session.state.roleKey(number: spec.number), stored.version == command.p1
        else { throw .referencedDataNotFound }
        guard command.data.count == RoleAuthentication.cryptogramLength else { throw .wrongLength }
        let serial = try layout.serial(in: session.state)
        do throws(CardSecurityError) {
            let key = try CardKey(bytes: stored.bytes, suite: layout.suite)
            let answer = try RoleAuthentication.answer(
                command.data, roleKey: key, session: chip, serial: serial, keyNumber: command.p2, keyVersion: command.p1)
            session.security.granted = [Grant.key(spec.name)]
            return ResponseAPDU(data: answer)
        } catch {
            session.security.granted = []
            self.session?.endsAfterAnswer = true
            if error == .cryptogramMismatch { throw .verificationFailed }
            throw .noPreciseDiagnosis
        }
    }
}

/// One chip-authenticated session on the card: the chip authentication's values (for role
/// authentication) and the secure-messaging channel. Volatile: gone at reset, power-off or SELECT.
struct AppletSession: Sendable {
    let chip: ChipSession
    var channel: SecureMessagingChannel
    /// Set when the current command's answer is the last one of the session (a failed role authentication).
    var endsAfterAnswer = false

    init(chip: ChipSession) {
        self.chip = chip
        channel = SecureMessagingChannel(keys: chip.keys)
    }
}
