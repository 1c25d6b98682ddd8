import CardSecurity
import Foundation

/// Reads a signed status list named on the command line (a file or a pipe).
enum StatusListFile {
    static func read(_ path: String) throws -> SignedStatusList {
        let data = try InputFile.data(path, option: "--status-list")
        do { return try SignedStatusList(decoding: Array(data)) } catch {
            throw CommandError("--status-list: \(path) is not a signed status list (\(data.isEmpty ? "it is empty" : "its \(data.count) bytes are not one")); nothing was read from a card. Name the file `permit pki status-list` wrote.")
        }
    }
}

/// The highest status-list sequence this station has loaded, kept in `status-list-seen` in its authority
/// directory, so that a list older than one it already relied on is refused, even after a restart
/// (docs/CARD-SECURITY.md §11).
enum StatusListSeen {
    static func url(in pki: String) -> URL { URL(fileURLWithPath: pki, isDirectory: true).appendingPathComponent("status-list-seen") }

    static func read(in pki: String) -> UInt32? {
        guard let text = try? String(contentsOf: url(in: pki), encoding: .utf8) else { return nil }
        return UInt32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Records `sequence`; a directory the station cannot write to costs only the warning.
    static func record(_ sequence: UInt32, in pki: String) {
        do { try Data("\(sequence)\n".utf8).write(to: url(in: pki), options: .atomic) } catch {
            Warning.print("could not record status list \(sequence) as seen in \(url(in: pki).path): an older list would not be refused after this run.")
        }
    }
}
