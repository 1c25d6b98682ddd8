import ArgumentParser
import Foundation
import OpenAPIRuntime
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
            throw DaemonCallFailure(description: "No API token: set PERMIT_TOKEN (or pass --token-file) to a token from `permit token create`.")
        }
        return token
    }

    /// Calls the daemon through the generated client; a failure to reach it or to read its answer is one sentence.
    func call<T>(_ body: (Client) async throws -> T) async throws -> T {
        let client = Client(endpoint: endpoint, token: try token())
        do {
            return try await body(client)
        } catch let error as ClientError {
            if let failure = error.underlyingError as? DaemonTransport.Failure { throw failure }
            throw DaemonCallFailure(description: "The daemon at \(endpoint.name) answered \(error.operationID) with something the API document does not allow; check that permit and permitd are the same version.")
        }
    }
}

/// Why a command could not talk to the daemon, as one sentence.
struct DaemonCallFailure: Error, CustomStringConvertible {
    let description: String
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
