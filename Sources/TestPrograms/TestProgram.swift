import Foundation

/// A program a test runs (the `permit-card` executable, say), its standard output and error collected
/// together: run to completion, or in the background until signalled or stopped.
public final class TestProgram: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()

    public struct TimedOut: Error, CustomStringConvertible {
        public let program: String
        public let timeout: Duration
        public var description: String { "\(program) did not exit within \(timeout); it was killed" }
    }

    /// Starts the program in the background.
    public init(_ path: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// Runs a program that exits by itself (bad flags, nothing to connect to); its status and output.
    public static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let program = try TestProgram(path, arguments)
        let text = String(decoding: program.output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        program.process.waitUntilExit()
        return (program.process.terminationStatus, text)
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// SIGTERM, then waits for the program to stop.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Waits for the program to exit, without blocking Swift's pool; kills it and throws after `timeout`.
    public func finish(timeout: Duration = .seconds(10)) async throws -> (status: Int32, output: String) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TimedOut(program: process.executableURL?.lastPathComponent ?? "program", timeout: timeout)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }
}
