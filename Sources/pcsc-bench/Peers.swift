import Foundation
import PCSCSandbox
import SmartCard
import Synchronization

/// One client of the benchmark: how it times `count` SELECTs.
struct Peer {
    let name: String
    let measure: (Int) async throws -> LatencySummary
}

/// The card process, and the benchmark's peers; those written elsewhere (C, Python, OpenSC) run
/// as child processes.
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

    static let cLoopName = "C loop on libpcsclite"
    static let executorName = "Swift layer, one send per APDU, on the connection's executor"
    static let spinningCLoopName = "C loop on libpcsclite, beside a spinning thread"

    /// Every peer, in the order of the table. The C loop is compiled into `workDirectory` once.
    static func all(reader: String, apdu: String, socket: String, workDirectory: URL) throws -> [Peer] {
        let cLoop = workDirectory.appendingPathComponent("select_loop")
        let flags = try output(of: "/usr/bin/pkg-config", ["--cflags", "--libs", "libpcsclite"], socket: socket)
            .split(separator: " ").map(String.init)
        _ = try output(of: "/usr/bin/cc", ["-O2", "-o", cLoop.path, peerSources.appendingPathComponent("select_loop.c").path] + flags, socket: socket)
        let pyscard = peerSources.appendingPathComponent("select_pyscard.py").path
        return [
            Peer(name: "Swift layer, one send per APDU, from the cooperative pool") {
                try await SwiftPeers.loop(reader: reader, apdu: apdu, count: $0, onConnectionExecutor: false)
            },
            Peer(name: executorName) {
                try await SwiftPeers.loop(reader: reader, apdu: apdu, count: $0, onConnectionExecutor: true)
            },
            Peer(name: "Swift layer, all APDUs in one send (mean)") {
                try await SwiftPeers.batch(reader: reader, apdu: apdu, count: $0)
            },
            Peer(name: cLoopName) {
                try LatencySummary(json: try output(of: cLoop.path, [reader, String($0), apdu], socket: socket))
            },
            // The executor's threads spin; a busy core wakes pcscd and the card faster, whoever spins.
            Peer(name: spinningCLoopName) { count in
                try withSpinningThread { try LatencySummary(json: try output(of: cLoop.path, [reader, String(count), apdu], socket: socket)) }
            },
            Peer(name: "pyscard") {
                try LatencySummary(json: try output(of: "/usr/bin/python3", [pyscard, reader, String($0), apdu], socket: socket))
            },
            Peer(name: "opensc-tool (means of runs)") {
                try openscTool(reader: reader, apdu: apdu, socket: socket, runs: max($0 / 500, 1))
            },
        ]
    }

    /// Runs `body` while a thread of this process spins (yielding, as the layer's threads do).
    static func withSpinningThread<T>(_ body: () throws -> T) rethrows -> T {
        let stop = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        Thread {
            while !stop.load(ordering: .relaxed) { sched_yield() }
            done.signal()
        }.start()
        defer {
            stop.store(true, ordering: .relaxed)
            done.wait()
        }
        return try body()
    }

    /// opensc-tool times no single APDU, so the per-APDU cost is the difference between a run with
    /// `batch + 1` APDUs and a run with 1 (start-up and card detection cancel out).
    static func openscTool(reader: String, apdu: String, socket: String, runs: Int, batch: Int = 500) throws -> LatencySummary {
        func timed(_ apdus: Int) throws -> Double {
            let arguments = ["-r", reader] + Array(repeating: ["-s", apdu], count: apdus).flatMap { $0 }
            let clock = ContinuousClock()
            let start = clock.now
            _ = try output(of: "/usr/bin/opensc-tool", arguments, socket: socket)
            return (clock.now - start).microseconds
        }
        return LatencySummary(samples: try (0..<runs).map { _ in (try timed(batch + 1) - timed(1)) / Double(batch) })
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
