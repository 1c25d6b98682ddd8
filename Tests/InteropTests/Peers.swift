import CardEmulator
import Foundation
import PCSCSandbox
import SmartCard
import Testing

/// Programs the interop tests run: built products next to the test bundle, and Debian's tools.
enum Peers {
    static var buildDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static var permit: String { buildDirectory.appendingPathComponent("permit").path }
    static let openscTool = "/usr/bin/opensc-tool"
    /// Debian's python3 (with python3-pyscard); the first python3 on PATH may be another build.
    static let python = "/usr/bin/python3"
    static let vicc = "/usr/bin/vicc"

    /// Fails with the Debian package to install when a peer program is missing.
    static func require(_ path: String, package: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw PeerError.missing(path: path, package: package) }
    }
}

enum PeerError: Error, CustomStringConvertible {
    case missing(path: String, package: String)
    case timedOut(program: String)
    case neverReady(String)

    var description: String {
        switch self {
        case .missing(let path, let package): "\(path) is missing: install the Debian package '\(package)' (scripts/setup does)"
        case .timedOut(let program): "\(program) did not finish in time"
        case .neverReady(let what): what
        }
    }
}

/// Runs a program to completion within `timeout`; answers its status, standard output and standard error.
func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)) async throws
    -> (status: Int32, output: String, errors: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read while it runs so a full pipe never blocks it.
    async let out = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
    async let err = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        guard ContinuousClock.now < deadline else {
            process.terminate()
            throw PeerError.timedOut(program: path)
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return (process.terminationStatus, String(decoding: await out, as: UTF8.self), String(decoding: await err, as: UTF8.self))
}

/// The reference card in a leased sandbox reader, for peers to talk to.
func withEmulatedCard<T>(_ body: (SandboxSlot, EmulatedCard, PCSCContext) async throws -> T) async throws -> T {
    try await PCSCSandbox.shared.withSlot { slot in
        let context = PCSCContext()
        let card = EmulatedCard(state: .demo())
        let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
        link.start()
        do {
            try await link.waitUntilConnected()
            try await waitForCard(slot.readerName, in: context, present: true)
            let result = try await body(slot, card, context)
            try await link.stop()
            try await waitForCard(slot.readerName, in: context, present: false)
            return result
        } catch {
            try? await link.stop()
            try? await waitForCard(slot.readerName, in: context, present: false)
            throw error
        }
    }
}

func waitForCard(_ reader: String, in context: PCSCContext, present: Bool, timeout: Duration = .seconds(10)) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let status = try? await context.readers().first(where: { $0.name == reader }), status.hasCard == present { return }
        try await Task.sleep(for: .milliseconds(25))
    }
    throw PeerError.neverReady("reader '\(reader)' never showed \(present ? "a card" : "no card")")
}
