import CardEmulator
import CardProfiles

/// One command's view of the card: the session copy it may change (kept only if the command returns)
/// and the access checks of the current life-cycle phase. Every command it runs arrived under a verified
/// secure-messaging MAC (protocol v2 runs nothing else inside a session).
struct CommandContext {
    let layout: PermitLayout
    var session: CardSession

    var state: CardState {
        get { session.state }
        set { session.state = newValue }
    }

    var phase: CardPhase { state.lifeCycle?.phase ?? .personalisation }

    /// The grants that hold for this command only: its phase and `sm`.
    var commandGrants: Set<String> { [Grant.phase(phase), Grant.secureMessaging] }

    /// Every grant held for this command.
    var grants: Set<String> { session.security.granted.union(commandGrants) }

    /// Throws `6982` unless the profile's rule for `command` is satisfied.
    func require(_ command: ApplicationCommand) throws(StatusWord) {
        guard layout.condition(for: command).isSatisfied(by: grants) else { throw .securityStatusNotSatisfied }
    }

    /// Throws `6982` unless `operation` on `file` is allowed by the rule stored with the file.
    func require(_ operation: CardEmulator.FileOperation, on file: CardFile) throws(StatusWord) {
        guard file.access[operation].isSatisfied(by: grants) else { throw .securityStatusNotSatisfied }
    }

    /// Runs an interindustry command through the emulator's ISO/IEC 7816-4 file system with this command's grants.
    mutating func iso(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        try session.executeISO(command, grants: commandGrants)
    }

    /// The EF a record command addresses: by SFI (P2 bits 8-4), or the current EF when they are 0.
    func elementaryFile(shortID sfi: UInt8) throws(StatusWord) -> CardFile {
        guard sfi != 0 else {
            guard let path = session.currentEF, let file = state.fileSystem[path] else { throw .noCurrentEF }
            return file
        }
        guard sfi != 31 else { throw .incorrectP1P2 }
        guard let file = state.fileSystem.elementaryFile(shortID: sfi, in: session.currentDF) else { throw .fileNotFound }
        return file
    }
}
