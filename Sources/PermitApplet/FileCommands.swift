import CardEmulator
import CardProfiles

/// READ BINARY, READ RECORD, UPDATE BINARY, UPDATE RECORD and APPEND RECORD (CARD-SPEC §7.2-§7.6): the
/// emulator's file system does the work under the rules stored with each file; the application adds
/// its response limit and, once operational, the consistency checks of §7.16 before a record is written.
extension CommandContext {
    mutating func readBinary(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        var response = try iso(command)
        // A card answers at most maxResponseData bytes; a reader continues at the next offset.
        let limit = layout.profile.apdu.maxResponseData
        if response.data.count > limit { response.data = Array(response.data.prefix(limit)) }
        return response
    }

    mutating func readRecord(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        try iso(command)
    }

    mutating func updateBinary(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        try iso(command)
    }

    mutating func updateRecord(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p2 & 0x07 == 0b100 else { throw .incorrectP1P2 }
        let file = try elementaryFile(shortID: command.p2 >> 3)
        guard case .records(let records) = file.content else { throw .incompatibleFileStructure }
        try require(.update, on: file)
        guard records.accepts(command.data), command.ne == 0 else { throw .wrongLength }
        let number = command.p1 == 0 ? session.currentRecord : Int(command.p1)
        guard let number, number >= 1, number <= records.records.count else { throw .recordNotFound }
        if phase == .operational, layout.content(at: file.path) == .residence {
            try ConsistencyCheck.residenceUpdate(command.data, slot: number, slots: records.records, newestStatus: layout.newestStatus(in: state))
        }
        return try iso(command)
    }

    mutating func appendRecord(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0, command.p2 & 0x07 == 0 else { throw .incorrectP1P2 }
        let file = try elementaryFile(shortID: command.p2 >> 3)
        guard case .records(let records) = file.content else { throw .incompatibleFileStructure }
        try require(.append, on: file)
        guard records.accepts(command.data), command.ne == 0 else { throw .wrongLength }
        if phase == .operational {
            let newestStatus = layout.newestStatus(in: state)
            switch layout.content(at: file.path) {
            case .status:
                try ConsistencyCheck.statusAppend(command.data, newest: newestStatus)
            case .endorsements:
                try ConsistencyCheck.endorsementAppend(command.data, existing: records.records.count, newestStatus: newestStatus)
            default:
                break
            }
        }
        return try iso(command)
    }
}
