import Foundation
import PCSCSandbox
import Testing
import TestPrograms

/// permitd as a station runs it: the built binary, a configuration file, a registry file and a socket in a
/// scratch directory, on the test process's private pcscd. Requests go over the real socket (curl, the
/// `permit` CLI); tokens are made with `permit token create` before the daemon starts.
final class DaemonProcess: @unchecked Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let directory: URL
    var socket: String { directory.appendingPathComponent("permitd.sock").path }
    var registry: String { directory.appendingPathComponent("registry.sqlite").path }
    var configuration: String { directory.appendingPathComponent("permitd.yaml").path }
    private(set) var program: TestProgram?
    /// Secrets of the tokens made for this daemon, by role name.
    private(set) var tokens: [String: String] = [:]

    /// Writes the configuration (`extra` YAML lines appended) and makes one token per role.
    init(extra: [String] = []) async throws {
        directory = ScratchDirectory.make("daemon")
        try writeConfiguration(extra: extra)
        try await PCSCSandbox.shared.start()
        for role in ["officer", "kiosk", "verifier"] {
            let made = try await TestProgram.permit(["token", "create", "--role", role, "--name", "\(role) 1"] + registryOptions)
            #expect(made.status == 0, "\(made.errors)")
            tokens[role] = made.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    func writeConfiguration(extra: [String] = []) throws {
        let lines = [
            "# written by StationTests",
            "station: \"330102000009\"",
            "registry: \(registry)",
            "profiles: \(TestProgram.cardProfiles)",
            "socket:",
            "  path: \(socket)",
        ] + extra
        try (lines.joined(separator: "\n") + "\n").write(toFile: configuration, atomically: true, encoding: .utf8)
    }

    var registryOptions: [String] { ["--db", registry, "--profiles", TestProgram.cardProfiles, "--actor", "admin"] }

    /// Starts permitd and waits until its socket answers.
    func start(arguments: [String] = [], environment: [String: String] = [:]) async throws {
        let program = try await TestProgram(TestProgram.builtProduct("permitd"), ["--config", configuration] + arguments,
                                      environment: environment.merging(["PCSCLITE_CSOCK_NAME": PCSCSandbox.shared.socketPath]) { $1 })
        self.program = program
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: socket), try await curl(["/readers"], token: "verifier").status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        let result = try await program.stop()
        Issue.record("permitd did not answer on \(socket) within 30 s: \(result.errors)")
        throw CancellationError()
    }

    /// Waits until the sweep the daemon runs on start (a fresh registry was never swept) has finished.
    func waitForStartupSweep() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let status = try await curl(["/status"], token: "officer").json
            if let last = (status?["sweep"] as? [String: Any])?["last"] as? [String: Any], last["outcome"] as? String != "running" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the start-up sweep did not finish within 30 s")
    }

    /// SIGTERM, then the daemon's exit status and log.
    @discardableResult
    func stop() async throws -> TestProgram.Result {
        guard let program else { throw CancellationError() }
        self.program = nil
        return try await program.stop(timeout: .seconds(20))
    }

    deinit { program?.signal(SIGKILL) }

    /// An HTTP exchange over the daemon's socket through curl (a client not written here).
    struct Exchange {
        let status: Int
        let contentType: String
        let body: String
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
    }

    /// `curl` with `arguments` (the path first, then any options), bearer token of `token`'s role
    /// (or the literal `secret`), over the Unix socket.
    func curl(_ arguments: [String], token role: String? = nil, secret: String? = nil, input: Data? = nil) async throws -> Exchange {
        var options = ["--silent", "--show-error", "--unix-socket", socket, "--write-out", "\n%{http_code} %{content_type}"]
        if let bearer = secret ?? role.flatMap({ tokens[$0] }) { options += ["--header", "Authorization: Bearer \(bearer)"] }
        let path = arguments[0]
        let result = try await TestProgram.run("/usr/bin/curl", options + Array(arguments.dropFirst()) + ["http://localhost\(path)"], input: input, timeout: .seconds(30))
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        // 28: --max-time ended a stream (the event stream never ends by itself); the answer is still there.
        guard result.status == 0 || result.status == 28, let last = lines.last else {
            Issue.record("curl \(path) failed: \(result.errors)")
            return Exchange(status: 0, contentType: "", body: "")
        }
        let parts = last.split(separator: " ", maxSplits: 1)
        return Exchange(status: Int(parts.first ?? "") ?? 0, contentType: parts.count > 1 ? String(parts[1]) : "",
                        body: lines.dropLast().joined(separator: "\n"))
    }

    /// `permit ARGS` with the daemon's socket and `role`'s token in its environment.
    func permitThroughDaemon(_ arguments: [String], role: String = "officer") async throws -> TestProgram.Result {
        try await TestProgram.permit(arguments, environment: ["PERMIT_SOCKET": socket, "PERMIT_TOKEN": tokens[role] ?? ""])
    }
}
