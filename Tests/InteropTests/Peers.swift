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

/// Runs a program to completion within `timeout` (killed after it); answers its status,
/// standard output and standard error. Pipes are drained on threads of their own: a blocking
/// read on Swift's two cooperative threads would starve the timeout itself.
func run(_ path: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)) async throws
    -> (status: Int32, output: String, errors: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = PipeDrain()
    let errors = PipeDrain()
    process.standardOutput = output.pipe
    process.standardError = errors.pipe
    try process.run()
    output.start()
    errors.start()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        guard ContinuousClock.now < deadline else {
            kill(process.processIdentifier, SIGKILL)
            throw PeerError.timedOut(program: "\(path) \(arguments.joined(separator: " "))")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return (process.terminationStatus, await output.text(), await errors.text())
}

/// Reads a pipe to its end on a dedicated thread.
final class PipeDrain: @unchecked Sendable {
    let pipe = Pipe()
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func start() {
        Thread { [self] in
            let all = pipe.fileHandleForReading.readDataToEndOfFile()
            lock.withLock { data = all; done = true }
        }.start()
    }

    /// The whole output, once the writer closed the pipe (waits at most a few seconds).
    func text() async -> String {
        for _ in 0..<250 where !lock.withLock({ done }) { try? await Task.sleep(for: .milliseconds(20)) }
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
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
