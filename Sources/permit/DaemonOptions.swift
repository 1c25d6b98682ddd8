import ArgumentParser
import Foundation
import StationAPIModel
import StationClient

/// How a command reaches the station daemon: its socket and the caller's token.
struct DaemonOptions: ParsableArguments {
    static let socketVariable = "PERMIT_SOCKET"
    static let tokenVariable = "PERMIT_TOKEN"
    /// Where the packaged daemon listens (deploy/permitd.yaml, docs/STATION.md).
    static let packagedSocket = "/run/permitstation/permitd.sock"

    @Option(help: "The daemon's socket (default: $PERMIT_SOCKET, else /run/permitstation/permitd.sock), or http://127.0.0.1:PORT.")
    var socket: String?
    @Option(help: "A file holding the API token (default: $PERMIT_TOKEN).")
    var tokenFile: String?

    var endpoint: DaemonTransport.Endpoint {
        let value = socket ?? ProcessInfo.processInfo.environment[Self.socketVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.packagedSocket
        if let url = URL(string: value), url.scheme == "http", let host = url.host, let port = url.port { return .tcp(host: host, port: port) }
        return .unixSocket(value)
    }

    func token() throws -> String {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("--token-file: cannot read \(tokenFile); check the path and its permissions.")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let token = ProcessInfo.processInfo.environment[Self.tokenVariable], !token.isEmpty else {
            throw ValidationError("No API token: set PERMIT_TOKEN (or pass --token-file) to a token from `permit token create`.")
        }
        return token
    }

    func client() throws -> Client { Client(endpoint: endpoint, token: try token()) }
}

/// A refusal from the daemon, printed as its one-sentence detail.
struct DaemonRefusal: Error, CustomStringConvertible {
    let status: Int
    let detail: String
    var description: String { "The station daemon refused (\(status)): \(detail)" }

    init(status: Int, problem: Components.Responses.Problem) {
        self.status = status
        if case .applicationProblemJson(let document) = problem.body {
            detail = document.detail
        } else {
            detail = "no explanation given"
        }
    }
}

/// JSON as the commands print it with --json: the API document's own schemas, keys sorted.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
