/// READ BINARY (B0) and UPDATE BINARY (D6) on transparent EFs.
/// P1 bit 8 set: P1 bits 5-1 are an SFI and P2 the offset (0-255); otherwise P1P2 is a 15-bit offset in the current EF.
enum BinaryCommands {
    static func read(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        let (file, offset) = try address(command, in: &session)
        guard case .transparent(let contents) = file.content else { throw .incompatibleFileStructure }
        try session.requireAccess(.read, to: file)
        guard command.data.isEmpty, command.ne > 0 else { throw .wrongLength }
        guard offset <= contents.count else { throw .wrongOffset }
        let count = min(command.ne, contents.count - offset)
        let data = Array(contents[offset..<(offset + count)])
        let short = count < command.ne && (!command.neIsMaximum || count == 0)
        return ResponseAPDU(data: data, statusWord: short ? .endOfFileReached : .success)
    }

    static func update(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        let (file, offset) = try address(command, in: &session)
        guard case .transparent(var contents) = file.content else { throw .incompatibleFileStructure }
        try session.requireAccess(.update, to: file)
        guard !command.data.isEmpty, command.ne == 0 else { throw .wrongLength }
        guard offset <= contents.count else { throw .wrongOffset }
        guard offset + command.data.count <= contents.count else { throw .notEnoughMemory }
        contents.replaceSubrange(offset..<(offset + command.data.count), with: command.data)
        session.state.fileSystem.setContent(.transparent(data: contents), at: file.path)
        return ResponseAPDU()
    }

    private static func address(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> (CardFile, Int) {
        if command.p1 & 0x80 != 0 {
            let sfi = command.p1 & 0x1F
            guard command.p1 & 0x60 == 0, (1...30).contains(sfi) else { throw .incorrectP1P2 }
            return (try session.elementaryFile(shortID: sfi), Int(command.p2))
        }
        return (try session.elementaryFile(shortID: nil), Int(command.p1) << 8 | Int(command.p2))
    }
}
