import Foundation
import Testing
import TestPrograms
#if canImport(Glibc)
import Glibc
#endif

/// schemathesis (PyPI, installed into .build-python by scripts/setup), a fuzzer not written here, drives
/// permitd's loopback TCP port from the API document: no answer may be a 5xx or break the document.
@Suite("permitd against its API document (schemathesis)")
struct SchemathesisTests {
    static let pythonPackages = DaemonProcess.repository.appendingPathComponent(".build-python").path
    static let document = DaemonProcess.repository.appendingPathComponent("Sources/StationAPIModel/openapi.yaml").path

    @Test("no 5xx and no answer outside the document, with officer and kiosk tokens")
    func documentHolds() async throws {
        let port = try Self.freePort()
        // With card keys, so that the card acts answer as a station's do (no reader by the fuzzer's names: 404).
        let (daemon, _, tokens) = try await CardActsAPITests.station(extra: ["tcp:", "  port: \(port)"])
        try await daemon.start(arguments: ["--test-clock", "2026-06-01"], environment: tokens)
        try await daemon.waitForStartupSweep()
        for role in ["officer", "kiosk"] {
            // From the scratch directory: schemathesis keeps a cache (.schemathesis/) where it runs.
            let run = try await TestProgram.run("/bin/sh", [
                "-c", "cd \"$0\" && exec /usr/bin/python3 -m schemathesis.cli run \"$@\"", daemon.directory.path, Self.document, "--url", "http://127.0.0.1:\(port)",
                "--header", "Authorization: Bearer \(daemon.tokens[role]!)",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection",
                "--exclude-path", "/events", "--phases", "examples,coverage,fuzzing", "--max-examples", "40",
                "--workers", "1", "--request-timeout", "10", "--suppress-health-check", "all", "--no-color",
            ], environment: ["PYTHONPATH": Self.pythonPackages, "SCHEMATHESIS_HOOKS": "", "HOME": daemon.directory.path],
               timeout: .seconds(600))
            #expect(run.status == 0, "schemathesis (\(role)) found problems:\n\(run.output.suffix(6000))\n\(run.errors.suffix(2000))")
            #expect(run.output.contains("passed"), "\(run.output.suffix(2000))")
        }
        let stopped = try await daemon.stop()
        #expect(!stopped.errors.contains("critical"), "\(stopped.errors.suffix(3000))")
    }

    /// A TCP port on the loopback nobody listens on now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw CancellationError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
