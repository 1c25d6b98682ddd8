import Foundation

/// A child program a test runs (this package's executables, Debian's tools, Python scripts): run to
/// completion, or started in the background, signalled and finished later. Standard output and standard
/// error are collected apart, each on a thread of its own; standard input is the given bytes or empty.
///
/// Every wait is bounded: a program that overruns its time limit is killed and the call throws
/// `TestProgram.Failure.timedOut`, naming the program and the limit.
public final class TestProgram: @unchecked Sendable {
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

        public var description: String {
            switch self {
            case .notExecutable(let path):
                "\(path) is not an executable file: build the package (swift build) or install the program"
            case .inputNotWritten(let path):
                "could not write the program's standard input to \(path): check the temporary directory has space"
            case .timedOut(let program, let limit):
                "\(program) did not exit within \(limit); it was killed"
            }
        }
    }

    /// The program and its arguments, as failure messages name it.
    public let commandLine: String
    private let process = Process()
    private let output = OutputCollector()
    private let errors = OutputCollector()

    /// After the program exits, how long its output may stay open (a child it started can inherit the pipes).
    private static let outputGrace: Duration = .seconds(5)

    /// Starts the program in the background. `environment` is added to this process's own; `input`, if
    /// any, is the program's whole standard input (otherwise it reads end-of-file at once).
    public init(_ path: String, _ arguments: [String] = [], environment: [String: String] = [:], input: Data? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Failure.notExecutable(path: path) }
        commandLine = ([URL(fileURLWithPath: path).lastPathComponent] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = try input.map(Self.inputFile) ?? FileHandle.nullDevice
        process.standardOutput = output.pipe
        process.standardError = errors.pipe
        try process.run()
        output.start()
        errors.start()
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
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the program to exit by itself, without blocking Swift's pool; kills it and throws after `timeout`.
    /// On Linux, Foundation sees the exit only once whatever the program left running in the background has
    /// ended too (`sh -c 'sleep 20 & exit 0'` takes 20 s), so leaving one behind counts against `timeout`.
    public func finish(timeout: Duration = .seconds(10)) async throws -> Result {
        guard try await waitForExit(within: timeout) else {
            kill(process.processIdentifier, SIGKILL)
            _ = try await waitForExit(within: .seconds(5))
            throw Failure.timedOut(program: commandLine, limit: timeout)
        }
        let grace = ContinuousClock.now + Self.outputGrace
        while !(output.isClosed && errors.isClosed) && ContinuousClock.now < grace {
            try await Task.sleep(for: .milliseconds(10))
        }
        return Result(status: process.terminationStatus, output: output.text, errors: errors.text)
    }

    /// SIGTERM, then `finish(timeout:)`.
    @discardableResult
    public func stop(timeout: Duration = .seconds(10)) async throws -> Result {
        signal(SIGTERM)
        return try await finish(timeout: timeout)
    }

    private func waitForExit(within timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Standard input from an unlinked temporary file rather than a pipe: nothing to feed on a thread, and
    /// no SIGPIPE for this process when the program exits without reading it all.
    private static func inputFile(_ data: Data) throws -> FileHandle {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("test-program-input-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forReadingAtPath: path)
        else { throw Failure.inputNotWritten(path: path) }
        try FileManager.default.removeItem(atPath: path)
        return handle
    }
}
