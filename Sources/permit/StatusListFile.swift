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
