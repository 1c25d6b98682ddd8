import Foundation
import PCSCSandbox
import Testing
import TestPrograms

/// Readers and cards as permitd sees them through the private pcscd, with the reference card
/// (`permit-card`) put in, pulled and put back: the readers route and the event stream follow.
@Suite("permitd reader watch and event stream")
struct ReaderEventTests {
    @Test("a card put in, pulled and put back shows in /readers and on /events; /metrics counts readers and requests")
    func cardComesAndGoes() async throws {
        let daemon = try await DaemonProcess(extra: ["api:", "  keep-alive-seconds: 1"])
        try await daemon.start()
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let path = "/readers/" + slot.readerName.replacingOccurrences(of: " ", with: "%20")
            let listener = try await TestProgram("/usr/bin/curl", ["--silent", "--no-buffer", "--unix-socket", daemon.socket,
                                                             "--header", "Authorization: Bearer \(daemon.tokens["kiosk"]!)", "http://localhost/events"])
            try await Task.sleep(for: .seconds(1))
            let card = try await TestProgram(TestProgram.builtProduct("permit-card"), ["--vpcd", slot.vpcdAddress])
            try await Self.waitFor(daemon, path, card: true)
            let inserted = try await daemon.curl([path], token: "kiosk")
            #expect(((inserted.json?["atr"] as? String)?.count ?? 0) >= 8, "\(inserted.body)")
            card.signal(SIGUSR1)  // pulled
            try await Self.waitFor(daemon, path, card: false)
            card.signal(SIGUSR2)  // put back
            try await Self.waitFor(daemon, path, card: true)
            try await card.stop()
            try await Self.waitFor(daemon, path, card: false)
            try await Task.sleep(for: .milliseconds(1500))
            listener.signal(SIGKILL)
            let stream = try await listener.finish().output
            let mine = Self.events(in: stream).filter { $0["reader"] as? String == slot.readerName }.compactMap { $0["kind"] as? String }
            #expect(mine.first == "readerAdded", "\(mine)")
            #expect(Array(mine.drop { $0 != "cardInserted" }) == ["cardInserted", "cardRemoved", "cardInserted", "cardRemoved"], "\(stream)")
            #expect(stream.contains(": keep-alive"))
            #expect(stream.contains("event: cardInserted"))
        }
        let metrics = try await daemon.curl(["/metrics"], token: "verifier")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("permitstation_readers "), "\(metrics.body)")
        #expect(metrics.body.contains("hb_requests{http_route=\"/readers/{reader}\""), "\(metrics.body)")
        try await daemon.stop()
    }

    /// Polls the reader route until its card is (or is not) in, for at most 10 s.
    static func waitFor(_ daemon: DaemonProcess, _ path: String, card: Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await daemon.curl([path], token: "kiosk").json?["card"] as? Bool == card { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(path): card \(card ? "in" : "out") not seen within 10 s")
    }

    /// The JSON data of each event in an SSE text.
    static func events(in stream: String) -> [[String: Any]] {
        stream.components(separatedBy: "\n\n").compactMap { block in
            guard let line = block.split(separator: "\n").first(where: { $0.hasPrefix("data:") }) else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).trimmingCharacters(in: .whitespaces).utf8)) as? [String: Any]
        }
    }
}
