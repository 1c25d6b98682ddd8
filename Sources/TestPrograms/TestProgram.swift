import Foundation
import Subprocess
import Synchronization
import SystemPackage

/// A child program a test runs (this package's executables, Debian's tools, Python scripts): run to
/// completion, or started in the background, signalled and finished later. Standard output and standard
/// error are collected apart; standard input is the given bytes or empty.
///
/// Built on swift-subprocess, which drains both pipes on its own I/O thread (never a blocking read on
/// Swift's two-thread cooperative pool) and returns once the program exits, even when a child it left
/// running in the background still holds its output open. What this type adds:
/// - every wait is bounded: a program that overruns its time limit is killed (SIGKILL) and the call
///   throws `TestProgram.Failure.timedOut`, naming the program and the limit;
/// - standard input comes from an unlinked temporary file, not a pipe: a program that exits without
///   reading it all cannot raise SIGPIPE in the test process (swift-subprocess writes input to a pipe
///   and leaves SIGPIPE alone);
/// - output is collected as bytes and decoded once (collecting as a `String` decodes byte by byte, about
///   a second per megabyte in a debug build).
public final class TestProgram: Sendable {
    /// How a program ended and what it wrote.
    public struct Result: Sendable {
        public let status: Int32
        /// Standard output.
        public let output: String
        /// Standard error.
        public let errors: String
    }

    public enum Failure: Error, CustomStringConvertible {
        case notExecutable(path: String)
        case inputNotWritten(path: String)
        case timedOut(program: String, limit: Duration)
        case failed(program: String, reason: String)

        public var description: String {
            switch self {
            case .notExecutable(let path):
                "\(path) is not an executable file: build the package (swift build) or install the program"
            case .inputNotWritten(let path):
                "could not write the program's standard input to \(path): check the temporary directory has space"
            case .timedOut(let program, let limit):
                "\(program) did not exit within \(limit); it was killed"
            case .failed(let program, let reason):
                "\(program) could not be run: \(reason)"
            }
        }
    }

    /// The program and its arguments, as failure messages name it.
    public let commandLine: String
    /// The running program's process id, set once it started and cleared once it was reaped.
    private let processID: ProcessID
    private let running: Task<Result, any Error>

    /// Output collected beyond this is an error (far above anything a test reads).
    private static let outputLimit = 256 << 20

    /// Starts the program in the background. `environment` is added to this process's own; `input`, if
    /// any, is the program's whole standard input (otherwise it reads end-of-file at once).
    public init(_ path: String, _ arguments: [String] = [], environment: [String: String] = [:], input: Data? = nil) async throws {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Failure.notExecutable(path: path) }
        let commandLine = ([URL(fileURLWithPath: path).lastPathComponent] + arguments).joined(separator: " ")
        self.commandLine = commandLine
        let inputFile = try input.map(Self.inputFile) ?? FileDescriptor.open("/dev/null", .readOnly)
        let started = AsyncStream<Void>.makeStream()
        let processID = ProcessID()
        self.processID = processID
        running = Task {
            defer { processID.value.withLock { $0 = nil } }
            do {
                let run = try await Subprocess.run(
                    .path(FilePath(path)), arguments: Arguments(arguments),
                    environment: .inherit.updating(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
                    input: .fileDescriptor(inputFile, closeAfterSpawningProcess: true),
                    output: .bytes(limit: Self.outputLimit), error: .bytes(limit: Self.outputLimit)
                ) { execution in
                    processID.value.withLock { $0 = execution.processIdentifier.value }
                    started.continuation.finish()
                }
                // A program ended by a signal reports the signal's number, as Foundation's Process did.
                let status: Int32 = switch run.terminationStatus {
                case .exited(let code): code
                case .signaled(let signal): signal
                }
                return Result(status: status, output: String(decoding: run.standardOutput, as: UTF8.self),
                              errors: String(decoding: run.standardError, as: UTF8.self))
            } catch {
                started.continuation.finish()
                throw Failure.failed(program: commandLine, reason: "\(error)")
            }
        }
        for await _ in started.stream {}
    }

    /// Runs a program to completion within `timeout`: its exit status and output.
    public static func run(
        _ path: String, _ arguments: [String] = [], environment: [String: String] = [:], input: Data? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> Result {
        try await TestProgram(path, arguments, environment: environment, input: input).finish(timeout: timeout)
    }

    /// The path of a product of this package (`permit`, `permit-card`): SwiftPM builds it next to the tests.
    public static func builtProduct(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Sends `number` (SIGUSR1, SIGTERM, SIGKILL, ...) if the program still runs.
    public func signal(_ number: Int32) {
        processID.value.withLock { if let id = $0 { _ = kill(id, number) } }
    }

    /// Waits for the program to exit, without blocking Swift's pool; kills it and throws after `timeout`.
    public func finish(timeout: Duration = .seconds(10)) async throws -> Result {
        let running = running
        let outcome = await withTaskGroup(of: Swift.Result<Result, any Error>?.self) { group in
            group.addTask { await running.result }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next()!
            // Past the limit, cancelling the run makes swift-subprocess kill the program (SIGKILL); the
            // group then still waits for the run to end, which is at once.
            if first == nil { running.cancel() }
            group.cancelAll()
            return first
        }
        guard let outcome else { throw Failure.timedOut(program: commandLine, limit: timeout) }
        return try outcome.get()
    }

    /// SIGTERM, then `finish(timeout:)`.
    @discardableResult
    public func stop(timeout: Duration = .seconds(10)) async throws -> Result {
        signal(SIGTERM)
        return try await finish(timeout: timeout)
    }

    /// Standard input from an unlinked temporary file rather than a pipe: nothing to feed on a thread, and
    /// no SIGPIPE for this process when the program exits without reading it all.
    private static func inputFile(_ data: Data) throws -> FileDescriptor {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("test-program-input-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Failure.inputNotWritten(path: path)
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            return try FileDescriptor.open(FilePath(path), .readOnly)
        } catch {
            throw Failure.inputNotWritten(path: path)
        }
    }
}

/// A process id shared between the task that runs the program and those that signal it.
private final class ProcessID: Sendable {
    let value = Mutex<pid_t?>(nil)
}
