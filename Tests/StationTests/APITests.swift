import Foundation
import GRDB
import Testing
import TestPrograms
import Yams

/// The local API over permitd's real socket: what it serves, and every kind of bad request refused with
/// a problem document that says what was wrong, with nothing written.
@Suite("permitd local API")
struct APITests {
    @Test("serves its status, readers and due list on a 0660 socket; the CLI reads them through it")
    func servesOverItsSocket() async throws {
        let daemon = try await DaemonProcess()
        try await daemon.start(arguments: ["--test-clock", "2026-06-01"])
        let mode = try FileManager.default.attributesOfItem(atPath: daemon.socket)[.posixPermissions] as? Int
        #expect(mode == 0o660)

        let status = try await daemon.curl(["/status"], token: "officer")
        #expect(status.status == 200 && status.contentType.hasPrefix("application/json"), "\(status.contentType) \(status.body)")
        #expect(status.json?["station"] as? String == "330102000009")
        #expect(status.json?["today"] as? String == "2026-06-01")
        #expect(status.json?["readerService"] as? String == "up")

        let readers = try await daemon.curl(["/readers"], token: "kiosk")
        #expect(readers.status == 200)
        #expect((readers.json?["readers"] as? [[String: Any]])?.contains { ($0["name"] as? String)?.hasPrefix("PermitStation Sandbox") == true } == true)

        let cli = try await daemon.permitThroughDaemon(["station", "status", "--json"])
        #expect(cli.status == 0, "\(cli.errors)")
        let decoded = try JSONSerialization.jsonObject(with: Data(cli.output.utf8)) as? [String: Any]
        #expect(decoded?["today"] as? String == "2026-06-01")
        let text = try await daemon.permitThroughDaemon(["station", "status"])
        #expect(text.output.contains("Station 330102000009"), "\(text.output)")

        let due = try await daemon.permitThroughDaemon(["due", "--on", "2026-06-01", "--json"], role: "verifier")
        #expect(due.status == 0, "\(due.errors)")
        #expect((try JSONSerialization.jsonObject(with: Data(due.output.utf8)) as? [String: Any])?["count"] as? Int == 0)

        let refused = try await daemon.permitThroughDaemon(["due"], role: "kiosk")
        #expect(refused.status == 1)
        #expect(refused.errors.contains("A kiosk token may not call listDue"), "\(refused.errors)")

        let stopped = try await daemon.stop()
        #expect(stopped.status == 0, "\(stopped.errors)")
    }

    /// A request that must be refused: method, path, body, role, then the status and words the answer must carry.
    struct BadRequest: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let role: String?
        var secret: String? = nil
        var body: String? = nil
        let status: Int
        let words: String
        var testDescription: String { name }
    }

    static let badRequests: [BadRequest] = [
        .init(name: "no token", arguments: ["/status"], role: nil, status: 401, words: "needs a bearer token"),
        .init(name: "unknown token", arguments: ["/status"], role: nil, secret: "pst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: 401, words: "unknown or revoked"),
        .init(name: "kiosk asks for the due list", arguments: ["/due"], role: "kiosk", status: 403, words: "A kiosk token may not call listDue"),
        .init(name: "verifier asks for a sweep", arguments: ["/sweep", "-X", "POST", "-H", "Content-Type: application/json"], role: "verifier",
              body: "{}", status: 403, words: "A verifier token may not call runSweep"),
        .init(name: "malformed JSON", arguments: ["/sweep", "-X", "POST", "-H", "Content-Type: application/json"], role: "officer",
              body: "{\"through\": ", status: 400, words: "not valid JSON"),
        .init(name: "unknown field", arguments: ["/sweep", "-X", "POST", "-H", "Content-Type: application/json"], role: "officer",
              body: "{\"thru\": \"2026-01-01\"}", status: 400, words: "thru"),
        .init(name: "unknown reader", arguments: ["/readers/No%20Such%20Reader"], role: "officer", status: 404, words: "No reader named \"No Such Reader\""),
        .init(name: "unknown route", arguments: ["/permits/1"], role: "officer", status: 404, words: "No route GET /permits/1"),
        .init(name: "oversized body", arguments: ["/sweep", "-X", "POST", "-H", "Content-Type: application/json"], role: "officer",
              body: "{\"through\": \"2026-01-01\", \"pad\": \"" + String(repeating: "x", count: 70_000) + "\"}", status: 413, words: "larger than 65536 bytes"),
        .init(name: "impossible date", arguments: ["/sweep", "-X", "POST", "-H", "Content-Type: application/json"], role: "officer",
              body: "{\"through\": \"2026-02-30\"}", status: 422, words: "through: \"2026-02-30\" is not a calendar date"),
        .init(name: "a day that has not come", arguments: ["/sweep", "-X", "POST", "-H", "Content-Type: application/json"], role: "officer",
              body: "{\"through\": \"2099-01-01\"}", status: 422, words: "is after today"),
        .init(name: "limit out of range", arguments: ["/due?limit=0"], role: "officer", status: 422, words: "limit: 0 is out of range"),
        .init(name: "limit not a number", arguments: ["/due?limit=ten"], role: "officer", status: 400, words: "limit"),
    ]

    @Test("bad requests are refused with a clear problem document and change nothing", arguments: badRequests)
    func badRequestRefused(_ request: BadRequest) async throws {
        let daemon = try await DaemonProcess()
        try await daemon.start(arguments: ["--test-clock", "2026-06-01"])
        try await daemon.waitForStartupSweep()
        let runsBefore = try Self.sweepRuns(daemon.registry)
        let answer = try await daemon.curl(request.arguments + (request.body.map { _ in ["--data-binary", "@-"] } ?? []),
                                           token: request.role, secret: request.secret, input: request.body.map { Data($0.utf8) })
        #expect(answer.status == request.status, "\(answer.body)")
        #expect(answer.contentType == "application/problem+json")
        let problem = try #require(answer.json, "\(answer.body)")
        #expect(problem["status"] as? Int == request.status)
        #expect((problem["type"] as? String)?.hasPrefix("urn:permitstation:problem:") == true)
        let detail = problem["detail"] as? String ?? ""
        #expect(detail.contains(request.words), "\(detail)")
        for leak in ["Swift.", "Error Domain", "DecodingError", "CodingKeys", "ServerError"] { #expect(!detail.contains(leak), "\(detail)") }
        #expect(try Self.sweepRuns(daemon.registry) == runsBefore)
        try await daemon.stop()
    }

    @Test("every operation's roles hold as the document's x-roles say; a revoked token is refused from the next request")
    func rolesOnEveryRoute() async throws {
        let document = try Yams.load(yaml: String(contentsOf: DaemonProcess.repository.appendingPathComponent("Sources/StationAPIModel/openapi.yaml"), encoding: .utf8)) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        let daemon = try await DaemonProcess(extra: ["api:", "  keep-alive-seconds: 1"])
        try await daemon.start(arguments: ["--test-clock", "2026-06-01"])
        var checked = 0
        for (path, operations) in paths {
            for (method, value) in operations {
                let operation = try #require(value as? [String: Any])
                let roles = try #require(operation["x-roles"] as? [String], "\(method) \(path) has no x-roles")
                let concrete = path.replacingOccurrences(of: "{reader}", with: "nobody")
                var arguments = [concrete, "-X", method.uppercased(), "--max-time", "2"]
                if method == "post" { arguments += ["-H", "Content-Type: application/json", "--data", "{}"] }
                let anonymous = try await daemon.curl(arguments, token: nil)
                #expect(anonymous.status == 401, "\(method) \(path) without a token")
                for role in ["officer", "kiosk", "verifier"] {
                    let answer = try await daemon.curl(arguments, token: role)
                    if roles.contains(role) {
                        #expect(answer.status != 401 && answer.status != 403, "\(role) \(method) \(path): \(answer.body)")
                    } else {
                        #expect(answer.status == 403, "\(role) \(method) \(path)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 17 * 3, "17 operations, each with the three roles")
        let revoked = try await TestProgram.permit(["token", "revoke", "kiosk 1"] + daemon.registryOptions)
        #expect(revoked.status == 0, "\(revoked.errors)")
        #expect(try await daemon.curl(["/readers"], token: "kiosk").status == 401)
        try await daemon.stop()
    }

    static func sweepRuns(_ registry: String) throws -> Int {
        try DatabaseQueue(path: registry).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sweep_runs") ?? 0 }
    }
}

extension APITests {
    @Test("without a daemon or a token the CLI says so in one sentence, exit status 1")
    func cliWithoutDaemon() async throws {
        let nowhere = try await TestProgram.permit(["station", "status"], environment: ["PERMIT_SOCKET": "/nonexistent/permitd.sock", "PERMIT_TOKEN": "pst_x"])
        #expect(nowhere.status == 1)
        #expect(nowhere.errors.contains("Cannot reach the station daemon at /nonexistent/permitd.sock (No such file or directory)"), "\(nowhere.errors)")
        #expect(!nowhere.errors.contains("operationID") && !nowhere.errors.contains("StationAPIModel"))
        let tokenless = try await TestProgram.permit(["due"], environment: ["PERMIT_SOCKET": "/nonexistent/permitd.sock", "PERMIT_TOKEN": ""])
        #expect(tokenless.status == 1)
        #expect(tokenless.errors.contains("No API token: set PERMIT_TOKEN"), "\(tokenless.errors)")
    }
}
