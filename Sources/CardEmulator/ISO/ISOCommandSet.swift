/// The interindustry command set of ISO/IEC 7816-4 over the card's file system.
/// Every refusal is a thrown status word, so a refused command changes nothing.
enum ISOCommandSet {
    static func execute(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard !command.isProprietaryClass, command.cla != 0xFF else { throw .classNotSupported }
        guard command.logicalChannel == 0 else { throw .logicalChannelNotSupported }
        guard !command.indicatesSecureMessaging else { throw .secureMessagingNotSupported }
        switch command.ins {
        case 0xA4: return try Select.execute(command, in: &session)
        case 0xB0: return try BinaryCommands.read(command, in: &session)
        case 0xD6: return try BinaryCommands.update(command, in: &session)
        case 0xB2: return try RecordCommands.read(command, in: &session)
        case 0xDC: return try RecordCommands.update(command, in: &session)
        case 0xE2: return try RecordCommands.append(command, in: &session)
        case 0x84: return try getChallenge(command, in: &session)
        default: throw .instructionNotSupported
        }
    }

    /// GET CHALLENGE: Ne random bytes (1...256), kept as the session's challenge for an applet to check.
    static func getChallenge(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0, command.p2 == 0 else { throw .incorrectP1P2 }
        guard command.data.isEmpty, (1...256).contains(command.ne) else { throw .wrongLength }
        let challenge = session.random.bytes(command.ne)
        session.challenge = challenge
        return ResponseAPDU(data: challenge)
    }
}

/// Resolving the EF a READ/UPDATE command addresses: the current EF, or an EF named by its SFI
/// (which then becomes the current EF, as ISO/IEC 7816-4 requires).
extension CardSession {
    mutating func elementaryFile(shortID sfi: UInt8?) throws(StatusWord) -> CardFile {
        if let sfi {
            guard let file = state.fileSystem.elementaryFile(shortID: sfi, in: currentDF) else { throw .fileNotFound }
            if currentEF != file.path { currentRecord = nil }
            currentEF = file.path
            return file
        }
        guard let path = currentEF, let file = state.fileSystem[path] else { throw .noCurrentEF }
        return file
    }
}
