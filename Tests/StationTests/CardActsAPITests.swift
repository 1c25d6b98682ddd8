import Foundation
import PCSCSandbox
import SmartCard
import Testing
import TestPrograms

/// The card acts through permitd's real socket: keys in a SoftHSM2 token made by `permit pki init --token`,
/// the card the `permit-card` program on a private pcscd, requests by curl. An officer accepts and issues, a
/// kiosk endorses (and may do nothing else), a verifier only reads; each act is on the event stream.
@Suite("permitd card acts")
struct CardActsAPITests {
    static let repository = DaemonProcess.repository

    /// An authority with its keys in tokens, and a daemon of its issuing station configured with them.
    static func station(extra: [String] = []) async throws -> (daemon: DaemonProcess, pki: String, tokens: [String: String]) {
        let tokens = SoftHSMTokens.freshEnvironment()
        let pki = ScratchDirectory.make("pki").appendingPathComponent("pki").path
        let made = try await TestProgram.permit(["pki", "init", "--out", pki, "--valid-from", "2025-01-01", "--token", SoftHSMTokens.module],
                                                environment: tokens)
        #expect(made.status == 0, "\(made.errors)")
        let daemon = try await DaemonProcess(extra: [
            "cards:", "  keys: \(pki)/issuing.token.json", "  trust: \(pki)/trust-bundle.pem", "  authority: 杭州市公安局上城区分局",
        ] + extra)
        return (daemon, pki, tokens)
    }

    /// `permit-card` with a blank zhejiang card in a sandbox reader, its issuing key diversified by the authority's token.
    static func withCard<T>(pki: String, tokens: [String: String], serial: String, _ body: (String) async throws -> T) async throws -> T {
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let card = try await TestProgram(TestProgram.builtProduct("permit-card"), [
                "--profile", "zhejiang", "--serial", serial, "--vpcd", "127.0.0.1:\(slot.port)", "--keys", pki + "/issuing.token.json",
            ], environment: tokens.merging(["PERMIT_PROFILES": TestProgram.cardProfiles]) { $1 })
            defer { card.signal(SIGKILL) }
            let context = PCSCContext(callTimeout: .seconds(10))
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true, timeout: .seconds(20))
            try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context, timeout: .seconds(10))
            await context.close()
            return try await body(slot.readerName)
        }
    }

    static func path(_ reader: String, _ act: String) -> String {
        "/readers/\(reader.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)/\(act)"
    }

    static func json(_ object: [String: Any]) -> [String] {
        let body = String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return ["--request", "POST", "--header", "Content-Type: application/json", "--data", body]
    }

    @Test("an officer accepts and issues, a kiosk endorses; a kiosk may not cancel, a verifier may not endorse; the kiosk sees no personal data")
    func officerIssuesKioskEndorses() async throws {
        let (daemon, pki, tokens) = try await Self.station()
        let photo = try Data(contentsOf: Self.repository.appendingPathComponent("Tests/CardFaceFixtures/photo.jpg")).base64EncodedString()
        try await Self.withCard(pki: pki, tokens: tokens, serial: "5A4A000000000061") { reader in
            try await daemon.start(arguments: ["--test-clock", "2026-03-01"], environment: tokens)
            let accepted = try await daemon.curl(["/applications"] + Self.json([
                "profile": "zhejiang", "name": "张伟", "latinName": "ZHANG WEI", "sex": "1", "citizenID": "110105199005171233",
                "address": ["district": "330102", "text": "浙江省杭州市上城区解放路100号3单元502室", "since": "2025-09-01"],
                "grounds": "job", "documents": "lease; employment contract", "photo": photo,
            ]), token: "officer")
            #expect(accepted.status == 201, "\(accepted.body)")
            let application = try #require(accepted.json?["application"] as? Int)
            #expect((accepted.json?["photoSha256"] as? String)?.count == 64)

            let issued = try await daemon.curl([Self.path(reader, "issue")] + Self.json(["application": application]), token: "officer")
            #expect(issued.status == 200, "\(issued.body)")
            #expect(issued.json?["card"] as? String == "5A4A000000000061")
            #expect((issued.json?["view"] as? [String: Any])?["issued"] as? Bool == true)
            _ = try await daemon.stop()

            // Eleven months later, at the kiosk.
            try await daemon.start(arguments: ["--test-clock", "2027-02-10"], environment: tokens)
            let forbidden = try await daemon.curl([Self.path(reader, "cancel")] + Self.json(["reason": "falseDocuments", "decidedBy": "x"]), token: "kiosk")
            #expect(forbidden.status == 403, "\(forbidden.body)")
            let readOnly = try await daemon.curl([Self.path(reader, "endorse")] + Self.json([:]), token: "verifier")
            #expect(readOnly.status == 403, "\(readOnly.body)")
            // The act's steps on the event stream, as a kiosk screen follows them.
            async let stream = daemon.curl(["/events", "--max-time", "8"], token: "kiosk")
            try await Task.sleep(for: .seconds(1))
            let endorsed = try await daemon.curl([Self.path(reader, "endorse")] + Self.json([:]), token: "kiosk")
            let events = try await stream.body
            for kind in ["actStarted", "actProgress", "actFinished"] { #expect(events.contains("event: \(kind)"), "\(events)") }
            #expect(events.contains("\"step\":\"writing\"") && events.contains("\"outcome\":\"done\""), "\(events)")
            #expect(endorsed.status == 200, "\(endorsed.body)")
            let view = endorsed.json?["view"] as? [String: Any]
            #expect(view?["endorsements"] as? Int == 1)
            #expect(view?["holder"] == nil && view?["registry"] == nil, "a kiosk sees the card's status and dates only")
            #expect(!endorsed.body.contains("张伟"))
            let again = try await daemon.curl([Self.path(reader, "endorse")] + Self.json([:]), token: "kiosk")
            #expect(again.status == 422, "\(again.body)")

            let card = try await daemon.curl([Self.path(reader, "card")], token: "officer")
            #expect(card.status == 200)
            #expect(((card.json?["holder"] as? [String: Any])?["name"] as? String) == "张伟")
            #expect(((card.json?["registry"] as? [String: Any])?["expiry"] as? String) == "2028-03-01")

            let intents = try await daemon.curl(["/intents"], token: "officer")
            #expect(intents.json?["applied"] as? Int == 2, "\(intents.body)")
            #expect((intents.json?["pending"] as? [Any])?.isEmpty == true)
            let stopped = try await daemon.stop()
            #expect(stopped.status == 0, "\(stopped.errors)")
        }
    }
}
