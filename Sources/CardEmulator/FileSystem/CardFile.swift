/// How a record EF organises its records (ISO/IEC 7816-4 §7.3.1).
public enum RecordStructure: String, Hashable, Sendable, Codable {
    /// Records of one fixed length, appended up to `maxRecords`.
    case linearFixed = "linear-fixed"
    /// Records of any length up to `maxRecordLength`, appended up to `maxRecords`.
    case linearVariable = "linear-variable"
    /// Fixed-length records in a ring: APPEND writes record 1 and the oldest record falls off.
    case cyclic
}

/// A record EF's layout and its records (index 0 is record number 1; for a cyclic file that is the newest).
public struct RecordFile: Hashable, Sendable {
    public var structure: RecordStructure
    /// The length of every record (fixed, cyclic) or the longest allowed (variable).
    public var maxRecordLength: Int
    public var maxRecords: Int
    public var records: [[UInt8]]

    public init(structure: RecordStructure, maxRecordLength: Int, maxRecords: Int, records: [[UInt8]] = []) {
        self.structure = structure
        self.maxRecordLength = maxRecordLength
        self.maxRecords = maxRecords
        self.records = records
    }

    /// Whether `data` may be stored as one record of this file.
    public func accepts(_ data: [UInt8]) -> Bool {
        switch structure {
        case .linearFixed, .cyclic: data.count == maxRecordLength
        case .linearVariable: !data.isEmpty && data.count <= maxRecordLength
        }
    }
}

/// One file of the card: a DF (with an optional DF name, the application identifier) or an EF.
public struct CardFile: Hashable, Sendable {
    public enum Content: Hashable, Sendable {
        case dedicated(name: [UInt8]?)
        /// A transparent EF; its size is fixed at creation and is `data.count`.
        case transparent(data: [UInt8])
        case records(RecordFile)
    }

    public var path: FilePath
    /// Short EF identifier (1...30) for READ/UPDATE by SFI; nil when the EF has none (always nil for a DF).
    public var shortID: UInt8?
    public var content: Content
    public var access: AccessRules

    public init(path: FilePath, shortID: UInt8? = nil, content: Content, access: AccessRules) {
        self.path = path
        self.shortID = shortID
        self.content = content
        self.access = access
    }

    public var fileID: UInt16 { path.fileID }

    public var isDedicated: Bool {
        if case .dedicated = content { return true }
        return false
    }

    public var dedicatedFileName: [UInt8]? {
        if case .dedicated(let name) = content { return name }
        return nil
    }
}
