import CardSecurity
import Foundation

/// Reads a signed status list named on the command line. Read through a file handle, so a pipe
/// (`--status-list <(curl …)`) works as well as a file.
enum StatusListFile {
    static func read(_ path: String) throws -> SignedStatusList {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandError("--status-list: cannot open \(path): it is missing or not readable. Name the file `permit pki status-list` wrote.")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch {
            throw CommandError("--status-list: cannot read \(path) to its end. Name the file `permit pki status-list` wrote.")
        }
        do { return try SignedStatusList(decoding: Array(data)) } catch {
            throw CommandError("--status-list: \(path) is not a signed status list (\(data.isEmpty ? "it is empty" : "its \(data.count) bytes are not one")); nothing was read from a card. Name the file `permit pki status-list` wrote.")
        }
    }
}
