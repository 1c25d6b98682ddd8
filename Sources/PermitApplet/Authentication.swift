import CardEmulator
import CardProfiles
import CardSecurity

/// SELECT, GET CHALLENGE and EXTERNAL AUTHENTICATE (CARD-SPEC §4, §7.1, §7.7, §7.8):
/// the commands that start and end sessions, so they live on the applet, which holds the session.
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

    /// Any other SELECT runs in the ISO command set. Selecting an EF of the application keeps the session;
    /// selecting the application DF itself (by FID or path) answers as SELECT by AID does, and leaving
    /// the application ends the session.
    mutating func select(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU? {
        var work = session
        var response = try work.executeISO(command)
        let selectedApplication = work.currentDF == layout.applicationPath && work.currentEF == nil
        if selectedApplication || work.currentDF != layout.applicationPath {
            endSession(&work)
        }
        if selectedApplication, command.p2 & 0x0C == 0 {
            response = ResponseAPDU(data: ControlInformation.fci(of: work.state, layout: layout))
        }
        session = work
        return response
    }

    /// Ends the secure-messaging session and drops every credential and any outstanding challenge.
    private mutating func endSession(_ session: inout CardSession) {
        channel = nil
        channelGrant = nil
        session.security.granted = []
        session.challenge = nil
    }

    /// GET CHALLENGE `00 84 00 00 08`: RND.ICC, valid for the next command only.
    func getChallenge(_ command: CommandAPDU, session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x00, command.p2 == 0x00 else { throw .incorrectP1P2 }
        guard command.data.isEmpty, command.ne == TerminalAuthentication.nonceLength else { throw .wrongLength }
        let challenge = session.random.bytes(TerminalAuthentication.nonceLength)
        session.challenge = challenge
        return ResponseAPDU(data: challenge)
    }

    /// EXTERNAL AUTHENTICATE `00 82 00 P2 18 RND.IFD || cryptogram`: on success the key's credential
    /// replaces all others and a new secure-messaging session opens; any failure drops every credential.
    mutating func externalAuthenticate(_ command: CommandAPDU, challenge: [UInt8]?, session: inout CardSession) -> ResponseAPDU {
        do throws(StatusWord) {
            guard command.p1 == 0x00 else { throw .incorrectP1P2 }
            guard let spec = layout.profile.keys.first(where: { $0.number == Int(command.p2) }),
                  let stored = session.state.roleKey(number: spec.number)
            else { throw .referencedDataNotFound }
            guard command.data.count == TerminalAuthentication.dataLength else { throw .wrongLength }
            guard let challenge else { throw .conditionsOfUseNotSatisfied }
            let serial = try layout.serial(in: session.state)
            let keys: SessionKeys
            do throws(CardSecurityError) {
                let key = try CardKey(bytes: stored.bytes, suite: layout.suite)
                keys = try TerminalAuthentication.verify(
                    commandData: command.data, roleKey: key, cardNonce: challenge, serial: serial)
            } catch {
                throw error == .cryptogramMismatch ? .verificationFailed : .noPreciseDiagnosis
            }
            channel = SecureMessagingChannel(keys: keys)
            channelGrant = Grant.key(spec.name)
            session.security.granted = [Grant.key(spec.name)]
            return ResponseAPDU()
        } catch {
            return closeSession(error, session: &session)
        }
    }
}
