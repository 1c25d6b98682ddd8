import Foundation
import Testing
import TestPrograms

/// `permit sandbox -- CMD`: the command can be stopped like any program (issue 14 finding 7: it started
/// with SIGINT ignored and HUP, INT, QUIT, TERM, USR1, USR2, ALRM blocked), and the sandbox passes TERM
/// and INT on to it and then stops its private pcscd.
@Suite("permit sandbox and signals", .serialized)
struct SandboxCommandTests {
    /// `permit sandbox ARGUMENTS` without this test process's PCSCLITE_CSOCK_NAME (the shared sandbox's),
    /// which a new sandbox refuses to override; `env` execs, so the pid is the sandbox's.
    static let sandbox = ["-u", "PCSCLITE_CSOCK_NAME", Peers.permit, "sandbox"]

    /// The signals 1-31 that /proc/PID/status's hexadecimal mask `field` names.
    static func signals(_ field: String, in status: String) throws -> [Int] {
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(field + ":") })
        let mask = try #require(UInt64(line.split(separator: "\t").last!, radix: 16))
        return (1...31).filter { mask & (1 << ($0 - 1)) != 0 }
    }

    @Test func theCommandStartsWithNoSignalBlockedOrIgnored() async throws {
        let run = try await TestProgram.run("/usr/bin/env", Self.sandbox + ["--", "bash", "-c", """
            sleep 30 & P=$!; kill $P; sleep .5; kill -0 $P 2>/dev/null && echo survived; cat /proc/$$/status
            """])
        #expect(run.status == 0, "\(run.errors)")
        #expect(!run.output.contains("survived"))
        #expect(try Self.signals("SigBlk", in: run.output) == [])
        #expect(try Self.signals("SigIgn", in: run.output) == [])
    }

    @Test(arguments: [(SIGTERM, "TERM"), (SIGINT, "INT")])
    func aSignalToTheSandboxStopsTheCommandAndThePrivatePcscd(signal: Int32, name: String) async throws {
        let marker = ScratchDirectory.file("sandbox", suffix: ".started")
        let sandbox = try await TestProgram("/usr/bin/env", Self.sandbox + ["--", "bash", "-c", "touch \(marker); exec sleep 60"])
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: marker), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        sandbox.signal(signal)
        let ended = try await sandbox.finish(timeout: .seconds(60))
        #expect(ended.status == 128 + signal, "\(name): \(ended.errors)")
        let socket = try #require(ended.errors.split(separator: " ").first { $0.hasSuffix("pcscd.comm;") }).dropLast()
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: String(socket)).deletingLastPathComponent().path),
                "the private pcscd's directory is left behind")
    }
}
