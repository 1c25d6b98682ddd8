/// Why a file system built through the Swift API (a demo layout, a card profile) is not valid.
public enum FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    case parentMissing(FilePath)
    case parentNotDedicated(FilePath)
    case alreadyExists(FilePath)
    case duplicateShortID(FilePath, UInt8)
    case duplicateName(FilePath)
    case invalidShortID(FilePath, UInt8)
    case invalidLayout(FilePath, String)
    case notFound(FilePath)
    case masterFileNotDeletable

    public var description: String {
        switch self {
        case .parentMissing(let p): "cannot create \(p): its parent DF does not exist; create the DF first"
        case .parentNotDedicated(let p): "cannot create \(p): its parent is an EF, not a DF"
        case .alreadyExists(let p): "cannot create \(p): a file with that identifier already exists in its DF"
        case .duplicateShortID(let p, let s): "cannot create \(p): short EF identifier \(s) is already used in its DF"
        case .duplicateName(let p): "cannot create \(p): another DF already has that DF name (AID)"
        case .invalidShortID(let p, let s): "cannot create \(p): short EF identifier \(s) is outside 1...30"
        case .invalidLayout(let p, let why): "cannot create \(p): \(why)"
        case .notFound(let p): "no file \(p) on the card"
        case .masterFileNotDeletable: "the MF (3F00) cannot be deleted"
        }
    }
}

/// The card's files, keyed by absolute path (a flat map keeps nested updates simple and value-typed).
/// Always contains the MF.
public struct FileSystem: Hashable, Sendable {
    public private(set) var files: [FilePath: CardFile]

    /// An empty file system: just the MF, with the given access rules.
    public init(masterFileAccess: AccessRules = AccessRules()) {
        files = [.masterFile: CardFile(path: .masterFile, content: .dedicated(name: nil), access: masterFileAccess)]
    }

    public subscript(path: FilePath) -> CardFile? { files[path] }

    /// Adds a file under an existing DF, checking identifiers, SFIs, DF names and sizes.
    public mutating func create(_ file: CardFile) throws(FileSystemError) {
        let path = file.path
        guard let parentPath = path.parent else { throw .alreadyExists(path) }
        guard let parent = files[parentPath] else { throw .parentMissing(path) }
        guard parent.isDedicated else { throw .parentNotDedicated(path) }
        guard files[path] == nil else { throw .alreadyExists(path) }
        let siblings = children(of: parentPath)
        if let sfi = file.shortID {
            guard (1...30).contains(sfi), !file.isDedicated else { throw .invalidShortID(path, sfi) }
            guard !siblings.contains(where: { $0.shortID == sfi }) else { throw .duplicateShortID(path, sfi) }
        }
        try validate(file.content, at: path)
        files[path] = file
    }

    /// Replaces the content of an existing file with content of the same kind (DF, transparent EF or
    /// record EF), checked like `create` checks it: for an applet that rewrites a whole file at once.
    public mutating func replaceContent(of path: FilePath, with content: CardFile.Content) throws(FileSystemError) {
        guard let file = files[path] else { throw .notFound(path) }
        switch (file.content, content) {
        case (.dedicated, .dedicated), (.transparent, .transparent), (.records, .records): break
        default: throw .invalidLayout(path, "its content can only be replaced by content of the same kind")
        }
        if case .dedicated(let name) = content, name == file.dedicatedFileName {
            // Unchanged name: not a duplicate of itself.
        } else {
            try validate(content, at: path)
        }
        files[path]?.content = content
    }

    private func validate(_ content: CardFile.Content, at path: FilePath) throws(FileSystemError) {
        switch content {
        case .dedicated(let name):
            if let name {
                guard (1...16).contains(name.count) else { throw .invalidLayout(path, "a DF name has 1 to 16 bytes") }
                guard !files.values.contains(where: { $0.dedicatedFileName == name }) else { throw .duplicateName(path) }
            }
        case .transparent(let data):
            guard data.count <= 0x7FFF else { throw .invalidLayout(path, "a transparent EF holds at most 32767 bytes") }
        case .records(let r):
            guard (1...65535).contains(r.maxRecordLength), (1...254).contains(r.maxRecords) else {
                throw .invalidLayout(path, "record length must be 1...65535 and record count 1...254")
            }
            guard r.records.count <= r.maxRecords, r.records.allSatisfy(r.accepts) else {
                throw .invalidLayout(path, "its records do not fit its record length or count")
            }
        }
    }

    /// Removes a file and, for a DF, everything under it.
    public mutating func delete(_ path: FilePath) throws(FileSystemError) {
        guard !path.isMasterFile else { throw .masterFileNotDeletable }
        guard files[path] != nil else { throw .notFound(path) }
        for key in files.keys where key.ids.starts(with: path.ids) { files[key] = nil }
    }

    /// Replaces the content of an existing file in place (the caller keeps sizes consistent).
    mutating func setContent(_ content: CardFile.Content, at path: FilePath) {
        files[path]?.content = content
    }

    /// The files directly inside a DF, in path order.
    public func children(of path: FilePath) -> [CardFile] {
        files.values.filter { $0.path.parent == path }.sorted { $0.path < $1.path }
    }

    /// The EF with short identifier `sfi` directly inside DF `path`.
    public func elementaryFile(shortID sfi: UInt8, in path: FilePath) -> CardFile? {
        files.values.first { $0.path.parent == path && $0.shortID == sfi }
    }

    /// DFs whose name starts with `prefix` (ISO partial DF name selection), in path order.
    public func dedicatedFiles(namePrefix prefix: [UInt8]) -> [CardFile] {
        files.values.filter { file in
            guard let name = file.dedicatedFileName else { return false }
            return name.starts(with: prefix)
        }.sorted { $0.path < $1.path }
    }
}
