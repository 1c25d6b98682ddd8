import Foundation

/// Why the card's state file could not be read or written.
public enum CardStateStoreError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case unwritable(path: String, step: String, errno: Int32)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read the card state file \(path): \(reason)"
        case .malformed(let path, let reason):
            "the card state file \(path) is not a valid card state (\(reason)); fix or remove it to start a fresh card"
        case .unwritable(let path, let step, let code):
            "cannot save the card state to \(path) (\(step) failed: \(String(cString: strerror(code)))); check the directory exists and is writable"
        }
    }
}

/// The card's state file. Saves are atomic (temporary file, fsync, rename, fsync of the directory),
/// so a crash or a pulled plug leaves either the old or the new state, never a torn file.
public struct CardStateStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The saved state, or nil when no state file exists yet.
    public func load() throws(CardStateStoreError) -> CardState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        do {
            return try JSONDecoder().decode(CardState.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(path: path, reason: Self.explain(error))
        } catch {
            throw .malformed(path: path, reason: "\(error)")
        }
    }

    public func save(_ state: CardState) throws(CardStateStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(state)) + [0x0A]
        } catch {
            throw .unwritable(path: path, step: "encoding", errno: EINVAL)
        }
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unwritable(path: temporary, step: "open", errno: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw .unwritable(path: temporary, step: "write", errno: code)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temporary)
            throw .unwritable(path: temporary, step: "fsync", errno: code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .unwritable(path: path, step: "rename", errno: code)
        }
        let directory = (path as NSString).deletingLastPathComponent
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let where_ = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(where_.isEmpty ? "top level" : where_): \(context.debugDescription)"
        }
        switch error {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c): return at(c)
        case .keyNotFound(let key, let c): return at(c) + " (missing key '\(key.stringValue)')"
        @unknown default: return "\(error)"
        }
    }
}
