import Foundation

/// How a Swift peer sends its operations through the `SmartCard` layer.
enum SwiftPeerKind: String, CaseIterable {
    /// One `send` per APDU from a task on the cooperative pool: any caller.
    case send
    /// The same inside one `withTransaction`: the path every `PermitCard` operation takes.
    case transaction
    /// All operations' APDUs in one `send([...])` (one reader; a mean, no percentiles).
    case batch

    var label: String {
        switch self {
        case .send: "one send per APDU"
        case .transaction: "one send per APDU, in a transaction"
        case .batch: "all APDUs in one send (mean)"
        }
    }
}

/// The peers, all child processes given the sandbox's socket: a C loop on libpcsclite, pyscard,
/// opensc-tool, and the Swift layer itself (`pcsc-bench peer`, of this build or of a baseline
/// build), so each client is measured as its own process.
struct Peers {
    /// The repository root, where benchmarks/pcsc holds the C and Python peers.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sources = repository.appendingPathComponent("benchmarks/pcsc")
    /// This program, to run its own `peer` subcommand.
    static let thisBuild = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path

    let socket: String
    let cLoopBinary: String

    /// Compiles the C loop into `workDirectory`.
    init(socket: String, workDirectory: URL) throws {
        self.socket = socket
        cLoopBinary = workDirectory.appendingPathComponent("apdu_loop").path
        let flags = try Self.output(of: "/usr/bin/pkg-config", ["--cflags", "--libs", "libpcsclite"], socket: socket)
            .split(separator: " ").map(String.init)
        _ = try Self.output(of: "/usr/bin/cc", ["-O2", "-o", cLoopBinary, Self.sources.appendingPathComponent("apdu_loop.c").path] + flags, socket: socket)
    }

    func cLoop(reader: String, operations: Int, apdus: [String]) throws -> Sample {
        try Sample(json: Self.output(of: cLoopBinary, [reader, String(operations)] + apdus, socket: socket))
    }

    func pyscard(reader: String, operations: Int, apdus: [String]) throws -> Sample {
        try Sample(json: Self.output(of: "/usr/bin/python3", [Self.sources.appendingPathComponent("apdu_pyscard.py").path, reader, String(operations)] + apdus, socket: socket))
    }

    /// opensc-tool times nothing itself: one run with `batch + 1` operations and one with 1, the
    /// difference divided by `batch` (start-up and card detection cancel out); the mean of `pairs` such pairs.
    func openscTool(reader: String, apdus: [String], pairs: Int, batch: Int) throws -> Sample {
        func timed(_ operations: Int) throws -> Double {
            let arguments = ["-r", reader] + Array(repeating: apdus.flatMap { ["-s", $0] }, count: operations).flatMap { $0 }
            let start = ContinuousClock.now
            _ = try Self.output(of: "/usr/bin/opensc-tool", arguments, socket: socket)
            return (ContinuousClock.now - start).microseconds
        }
        let perOperation = try (0..<pairs).map { _ in (try timed(batch + 1) - timed(1)) / Double(batch) }
        return Sample(n: pairs * batch, median: perOperation.reduce(0, +) / Double(pairs), p99: nil, cpu: nil)
    }

    /// The Swift layer of the build at `program` (this one, or a baseline's `pcsc-bench`), in a child process.
    func swift(_ program: String, _ kind: SwiftPeerKind, readers: [String], apdus: [String], operations: Int?, seconds: Double? = nil) throws -> Sample {
        var arguments = ["peer", kind.rawValue] + readers.flatMap { ["--reader", $0] } + apdus.flatMap { ["--apdu", $0] }
        if let operations { arguments += ["--operations", String(operations)] }
        if let seconds { arguments += ["--seconds", String(seconds)] }
        return try Sample(json: Self.output(of: program, arguments, socket: socket))
    }

    /// Runs a program with the sandbox's socket and returns its standard output; throws with its
    /// standard error if it fails.
    static func output(of program: String, _ arguments: [String], socket: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PCSCLITE_CSOCK_NAME": socket]) { $1 }
        let out = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("pcsc-bench-peer-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError.peerFailed(peer: ([program] + arguments.prefix(8)).joined(separator: " "), output: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

enum BenchError: Error, CustomStringConvertible {
    case unexpected(String)
    case peerFailed(peer: String, output: String)

    var description: String {
        switch self {
        case .unexpected(let what): what
        case .peerFailed(let peer, let output): "\(peer) failed: \(output)"
        }
    }
}
