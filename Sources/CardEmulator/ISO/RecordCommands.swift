/// READ RECORD (B2), UPDATE RECORD (DC) and APPEND RECORD (E2) on record EFs.
/// P2 bits 8-4: SFI (0 = current EF); bits 3-1: which records (see docs/EMULATOR.md).
enum RecordCommands {
    static func read(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        let mode = command.p2 & 0x07
        let file = try recordFile(command, in: &session)
        guard case .records(let r) = file.content else { throw .incompatibleFileStructure }
        try session.requireAccess(.read, to: file)
        guard command.data.isEmpty, command.ne > 0 else { throw .wrongLength }
        switch mode {
        case 0b100:
            let number = try recordNumber(command.p1, current: session.currentRecord, in: r)
            session.currentRecord = number
            return try single(r.records[number - 1], ne: command.ne, neIsMaximum: command.neIsMaximum)
        case 0b101, 0b110:
            let first = try recordNumber(command.p1, current: session.currentRecord, in: r)
            let numbers = mode == 0b101 ? Array(first...r.records.count) : Array((first...r.records.count).reversed())
            session.currentRecord = numbers.last
            return ResponseAPDU(data: numbers.flatMap { r.records[$0 - 1] })
        case 0b000, 0b001, 0b010, 0b011:
            guard command.p1 == 0 else { throw .functionNotSupported }
            guard !r.records.isEmpty else { throw .recordNotFound }
            let number: Int = switch (mode, session.currentRecord) {
            case (0b000, _), (0b010, nil): 1                      // first, or next with no current record
            case (0b010, let current?): current + 1
            case (0b011, let current?): current - 1
            default: r.records.count                              // last, or previous with no current record
            }
            guard number >= 1, number <= r.records.count else { throw .recordNotFound }
            session.currentRecord = number
            return try single(r.records[number - 1], ne: command.ne, neIsMaximum: command.neIsMaximum)
        default:
            throw .incorrectP1P2
        }
    }

    static func update(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard command.p2 & 0x07 == 0b100 else { throw .incorrectP1P2 }
        let file = try recordFile(command, in: &session)
        guard case .records(var r) = file.content else { throw .incompatibleFileStructure }
        try session.requireAccess(.update, to: file)
        guard !command.data.isEmpty, command.ne == 0, r.accepts(command.data) else { throw .wrongLength }
        let number = try recordNumber(command.p1, current: session.currentRecord, in: r)
        r.records[number - 1] = command.data
        session.state.fileSystem.setContent(.records(r), at: file.path)
        session.currentRecord = number
        return ResponseAPDU()
    }

    static func append(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0, command.p2 & 0x07 == 0 else { throw .incorrectP1P2 }
        let file = try recordFile(command, in: &session)
        guard case .records(var r) = file.content else { throw .incompatibleFileStructure }
        try session.requireAccess(.append, to: file)
        guard !command.data.isEmpty, command.ne == 0, r.accepts(command.data) else { throw .wrongLength }
        switch r.structure {
        case .cyclic:
            r.records.insert(command.data, at: 0)
            if r.records.count > r.maxRecords { r.records.removeLast() }
            session.currentRecord = 1
        case .linearFixed, .linearVariable:
            guard r.records.count < r.maxRecords else { throw .notEnoughMemory }
            r.records.append(command.data)
            session.currentRecord = r.records.count
        }
        session.state.fileSystem.setContent(.records(r), at: file.path)
        return ResponseAPDU()
    }

    private static func recordFile(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> CardFile {
        let sfi = command.p2 >> 3
        guard sfi != 31 else { throw .incorrectP1P2 }
        return try session.elementaryFile(shortID: sfi == 0 ? nil : sfi)
    }

    /// P1 as a record number; 00 means the current record.
    private static func recordNumber(_ p1: UInt8, current: Int?, in r: RecordFile) throws(StatusWord) -> Int {
        let number = p1 == 0 ? current : Int(p1)
        guard let number, number >= 1, number <= r.records.count else { throw .recordNotFound }
        return number
    }

    /// One record: 6Cxx when a specific Le is shorter than the record (and the record fits a short Le).
    private static func single(_ record: [UInt8], ne: Int, neIsMaximum: Bool) throws(StatusWord) -> ResponseAPDU {
        if record.count > ne, !neIsMaximum, record.count <= 256 { throw .wrongLe(exactLength: record.count) }
        return ResponseAPDU(data: record)
    }
}
