/// SELECT (INS A4): by file identifier, child DF, child EF, parent, DF name (AID) and path.
enum Select {
    static func execute(_ command: CommandAPDU, in session: inout CardSession) throws(StatusWord) -> ResponseAPDU {
        let occurrence = command.p2 & 0x03
        let template = command.p2 & 0x0C
        guard command.p2 & 0xF0 == 0, template != 0x08 else { throw .incorrectP1P2 }
        guard occurrence == 0 || (occurrence == 2 && command.p1 == 0x04) else { throw .incorrectP1P2 }
        let fs = session.state.fileSystem
        let data = command.data
        let target: CardFile
        switch command.p1 {
        case 0x00:
            if data.isEmpty {
                target = fs[.masterFile]!
            } else {
                guard data.count == 2 else { throw .wrongLength }
                target = try byIdentifier(fid(data, 0), from: session.currentDF, in: fs)
            }
        case 0x01, 0x02:
            guard data.count == 2 else { throw .wrongLength }
            guard let path = session.currentDF.appending(fid(data, 0)), let file = fs[path],
                  file.isDedicated == (command.p1 == 0x01)
            else { throw .fileNotFound }
            target = file
        case 0x03:
            guard data.isEmpty else { throw .wrongLength }
            guard let parent = session.currentDF.parent else { throw .fileNotFound }
            target = fs[parent]!
        case 0x04:
            guard (1...16).contains(data.count) else { throw .wrongLength }
            let candidates = fs.dedicatedFiles(namePrefix: data)
            let found = occurrence == 0
                ? candidates.first
                : candidates.first { $0.path > session.currentDF }
            guard let found else { throw .fileNotFound }
            target = found
        case 0x08, 0x09:
            guard !data.isEmpty, data.count % 2 == 0 else { throw .wrongLength }
            var ids = stride(from: 0, to: data.count, by: 2).map { fid(data, $0) }
            var base = command.p1 == 0x08 ? FilePath.masterFile : session.currentDF
            if command.p1 == 0x08, ids.first == FilePath.masterFileID { ids.removeFirst() }
            for id in ids {
                guard let next = base.appending(id), fs[next] != nil else { throw .fileNotFound }
                base = next
            }
            target = fs[base]!
        default:
            throw .incorrectP1P2
        }
        if target.isDedicated {
            session.currentDF = target.path
            session.currentEF = nil
        } else {
            session.currentDF = target.path.parent!
            session.currentEF = target.path
        }
        session.currentRecord = nil
        switch template {
        case 0x00: return ResponseAPDU(data: FileControl.fci(for: target))
        case 0x04: return ResponseAPDU(data: FileControl.fcp(for: target))
        default: return ResponseAPDU()
        }
    }

    /// P1=00: the MF, the current DF, a child of the current DF, the parent DF, or a child of the parent.
    private static func byIdentifier(_ id: UInt16, from current: FilePath, in fs: FileSystem) throws(StatusWord) -> CardFile {
        if id == FilePath.masterFileID { return fs[.masterFile]! }
        if current.fileID == id { return fs[current]! }
        if let path = current.appending(id), let file = fs[path] { return file }
        if let parent = current.parent {
            if parent.fileID == id { return fs[parent]! }
            if let path = parent.appending(id), let file = fs[path] { return file }
        }
        throw .fileNotFound
    }

    private static func fid(_ data: [UInt8], _ at: Int) -> UInt16 { UInt16(data[at]) << 8 | UInt16(data[at + 1]) }
}

/// File control parameters (FCP, tag 62) and the FCI template (tag 6F) returned by SELECT.
enum FileControl {
    static func fcp(for file: CardFile) -> [UInt8] { tlv(0x62, objects(for: file)) }
    static func fci(for file: CardFile) -> [UInt8] { tlv(0x6F, objects(for: file)) }

    static func objects(for file: CardFile) -> [UInt8] {
        var out: [UInt8] = []
        switch file.content {
        case .dedicated(let name):
            out += tlv(0x82, [0x38])
            out += tlv(0x83, be16(Int(file.fileID)))
            if let name { out += tlv(0x84, name) }
        case .transparent(let data):
            out += tlv(0x80, be16(data.count))
            out += tlv(0x82, [0x01])
            out += tlv(0x83, be16(Int(file.fileID)))
        case .records(let r):
            let descriptor: UInt8 = switch r.structure {
            case .linearFixed: 0x02
            case .linearVariable: 0x04
            case .cyclic: 0x06
            }
            out += tlv(0x82, [descriptor, 0x21] + be16(r.maxRecordLength) + [UInt8(r.records.count)])
            out += tlv(0x83, be16(Int(file.fileID)))
        }
        if let sfi = file.shortID { out += tlv(0x88, [sfi << 3]) }
        out += tlv(0x8A, [0x05])
        return out
    }

    static func tlv(_ tag: UInt8, _ value: [UInt8]) -> [UInt8] {
        let length: [UInt8] = switch value.count {
        case ..<0x80: [UInt8(value.count)]
        case ..<0x100: [0x81, UInt8(value.count)]
        default: [0x82] + be16(value.count)
        }
        return [tag] + length + value
    }

    static func be16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
}
