import Foundation
import PCSCSandbox
import SmartCard

/// The card process and the benchmark's peers written elsewhere (C, Python, OpenSC), run as child processes.
enum Peers {
    /// The repository root, where benchmarks/pcsc holds the C and Python peers.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let peerSources = repository.appendingPathComponent("benchmarks/pcsc")

    /// `permit-card` from the same build folder as this program, connected to the slot's vpcd port.
    static func startCard(on slot: SandboxSlot) throws -> Process {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("permit-card")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--vpcd", slot.vpcdAddress]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func waitForCard(in reader: String, timeout: Duration = .seconds(10)) async throws {
        let context = PCSCContext()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await context.readers().first(where: { $0.name == reader })?.hasCard == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError.unexpected("no card appeared in \(reader) within \(timeout)")
    }

    static func cLoop(reader: String, count: Int, apdu: String, socket: String) throws -> LatencySummary {
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("permitstation-select-loop-\(getpid())")
        defer { try? FileManager.default.removeItem(at: binary) }
        let flags = try output(of: "/usr/bin/pkg-config", ["--cflags", "--libs", "libpcsclite"], socket: socket)
            .split(separator: " ").map(String.init)
        _ = try output(of: "/usr/bin/cc", ["-O2", "-o", binary.path, peerSources.appendingPathComponent("select_loop.c").path] + flags, socket: socket)
        let json = try output(of: binary.path, [reader, String(count), apdu], socket: socket)
        return try LatencySummary(peer: "C loop on libpcsclite", json: json)
    }

    static func pyscard(reader: String, count: Int, apdu: String, socket: String) throws -> LatencySummary {
        let script = peerSources.appendingPathComponent("select_pyscard.py").path
        let json = try output(of: "/usr/bin/python3", [script, reader, String(count), apdu], socket: socket)
        return try LatencySummary(peer: "pyscard", json: json)
    }

    /// opensc-tool times no single APDU, so the per-APDU cost is the difference between a run with
    /// `batch + 1` APDUs and a run with 1 (start-up and card detection cancel out), over several runs.
    static func openscTool(reader: String, count: Int, apdu: String, socket: String, batch: Int = 500) throws -> LatencySummary {
        func timed(_ apdus: Int) throws -> Double {
            let arguments = ["-r", reader] + Array(repeating: ["-s", apdu], count: apdus).flatMap { $0 }
            let clock = ContinuousClock()
            let start = clock.now
            _ = try output(of: "/usr/bin/opensc-tool", arguments, socket: socket)
            return (clock.now - start).microseconds
        }
        let runs = max(count / batch, 3)
        let samples = try (0..<runs).map { _ in (try timed(batch + 1) - timed(1)) / Double(batch) }
        return LatencySummary(peer: "opensc-tool (per-run means)", samples: samples)
    }

    /// Runs a program with the sandbox's socket and returns its standard output; throws with its
    /// standard error if it fails.
    static func output(of program: String, _ arguments: [String], socket: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PCSCLITE_CSOCK_NAME"] = socket
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError.peerFailed(peer: program, output: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
