/// Everything a card keeps when it loses power: its ATR, its files and the applet's private data
/// (keys, counters, retry counters). This is what the state file holds.
public struct CardState: Hashable, Sendable {
    public var atr: ATR
    public var fileSystem: FileSystem
    /// Data an applet keeps across power cycles that is not in a file (e.g. a PIN retry counter),
    /// by a name the applet chooses.
    public var appletData: [String: [UInt8]]

    public init(atr: ATR = .standard, fileSystem: FileSystem = FileSystem(), appletData: [String: [UInt8]] = [:]) {
        self.atr = atr
        self.fileSystem = fileSystem
        self.appletData = appletData
    }
}

/// The state file format (JSON, documented in docs/EMULATOR.md): bytes as hex, files as a list in path order.
extension CardState: Codable {
    static let formatName = "permitstation.card-state"
    static let formatVersion = 1

    private enum CodingKeys: String, CodingKey { case format, version, atr, files, applet }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try c.decode(String.self, forKey: .format)
        let version = try c.decode(Int.self, forKey: .version)
        guard format == Self.formatName, version == Self.formatVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .format, in: c,
                debugDescription: "expected format \(Self.formatName) version \(Self.formatVersion), found \(format) version \(version)")
        }
        atr = try c.decode(ATR.self, forKey: .atr)
        var fs = FileSystem()
        for file in try c.decode([CardFile].self, forKey: .files) {
            if file.path.isMasterFile {
                fs = FileSystem(masterFileAccess: file.access)
                continue
            }
            do {
                try fs.create(file)
            } catch {
                throw DecodingError.dataCorruptedError(forKey: .files, in: c, debugDescription: error.description)
            }
        }
        fileSystem = fs
        let applet = try c.decodeIfPresent([String: HexBytes].self, forKey: .applet) ?? [:]
        appletData = applet.mapValues(\.bytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.formatName, forKey: .format)
        try c.encode(Self.formatVersion, forKey: .version)
        try c.encode(atr, forKey: .atr)
        try c.encode(fileSystem.files.values.sorted { $0.path < $1.path }, forKey: .files)
        try c.encode(appletData.mapValues(HexBytes.init), forKey: .applet)
    }
}

/// Bytes coded as a hex string in JSON.
struct HexBytes: Codable, Hashable {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let bytes = Hex.decode(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text.prefix(40))' is not hex")
        }
        self.bytes = bytes
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Hex.encode(bytes))
    }
}

extension CardFile: Codable {
    private enum CodingKeys: String, CodingKey {
        case path, type, sfi, name, data, recordLength, maxRecords, records, access
    }
    private enum Kind: String, Codable {
        case df = "DF", transparent, linearFixed = "linear-fixed", linearVariable = "linear-variable", cyclic
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(FilePath.self, forKey: .path)
        shortID = try c.decodeIfPresent(UInt8.self, forKey: .sfi)
        access = try c.decodeIfPresent(AccessRules.self, forKey: .access) ?? AccessRules()
        switch try c.decode(Kind.self, forKey: .type) {
        case .df:
            content = .dedicated(name: try c.decodeIfPresent(HexBytes.self, forKey: .name)?.bytes)
        case .transparent:
            content = .transparent(data: try c.decode(HexBytes.self, forKey: .data).bytes)
        case let kind:
            let structure: RecordStructure = switch kind {
            case .linearFixed: .linearFixed
            case .linearVariable: .linearVariable
            default: .cyclic
            }
            content = .records(RecordFile(
                structure: structure,
                maxRecordLength: try c.decode(Int.self, forKey: .recordLength),
                maxRecords: try c.decode(Int.self, forKey: .maxRecords),
                records: try c.decode([HexBytes].self, forKey: .records).map(\.bytes)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        switch content {
        case .dedicated(let name):
            try c.encode(Kind.df, forKey: .type)
            try c.encodeIfPresent(name.map(HexBytes.init), forKey: .name)
        case .transparent(let data):
            try c.encode(Kind.transparent, forKey: .type)
            try c.encode(HexBytes(data), forKey: .data)
        case .records(let r):
            let kind: Kind = switch r.structure {
            case .linearFixed: .linearFixed
            case .linearVariable: .linearVariable
            case .cyclic: .cyclic
            }
            try c.encode(kind, forKey: .type)
            try c.encode(r.maxRecordLength, forKey: .recordLength)
            try c.encode(r.maxRecords, forKey: .maxRecords)
            try c.encode(r.records.map(HexBytes.init), forKey: .records)
        }
        try c.encodeIfPresent(shortID, forKey: .sfi)
        try c.encode(access, forKey: .access)
    }
}
