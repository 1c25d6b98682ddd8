import Synchronization
import Testing
@testable import SmartCard

/// A card in memory for trace tests: answers each command from a closure.
final class ScriptedTransport: CardTransport {
    let readerName = "Scripted 00 00"
    let cardProtocol = CardProtocol.t1
    let answer: ([UInt8]) -> [UInt8]
    init(_ answer: @escaping ([UInt8]) -> [UInt8]) { self.answer = answer }
    func transmit(_ command: [UInt8]) throws -> [UInt8] { answer(command) }
}

@Suite("APDU trace and replay")
struct TraceTests {
    @Test("lines follow the A>> / A<< format with lengths, SW apart and totals")
    func format() throws {
        let streamed = Mutex<[String]>([])
        let trace = APDUTrace { line in streamed.withLock { $0.append(line) } }
        trace.begin(reader: "Scripted 00 00", protocol: .t1, atr: [0x3B, 0x80])
        let channel = APDUChannel(transport: ScriptedTransport { _ in [0xCA, 0xFE, 0x90, 0x00] }, trace: trace)
        _ = try channel.send(try CommandAPDU(cla: 0, ins: 0xA4, p1: 0, p2: 0x0C, data: [0x3F, 0x00], ne: 256))
        trace.end(reader: "Scripted 00 00")
        let lines = trace.lines
        #expect(lines[0] == "# reader: Scripted 00 00")
        #expect(lines[1] == "# protocol: T=1")
        #expect(lines[2] == "# atr: 3B80")
        #expect(lines[3] == "A>> T=1 (4+0004) 00A4000C 02 3F00 00")
        #expect(lines[4].hasPrefix("A<< (0002+2) ("))
        #expect(lines[4].hasSuffix("ms) CAFE 9000"))
        #expect(lines[5].hasPrefix("# Scripted 00 00: 1 APDUs, sent 8 bytes, received 4 bytes"))
        #expect(streamed.withLock { $0 } == lines)
        #expect(trace.totals == (apdus: 1, sent: 8, received: 4))
    }

    @Test("secrets are starred in both directions, lengths stay visible", arguments: [
        (TraceRedaction.commandData, true, false), (.responseData, false, true), (.all, true, true),
    ])
    func redaction(redaction: TraceRedaction, hidesCommand: Bool, hidesResponse: Bool) throws {
        let trace = APDUTrace()
        let channel = APDUChannel(transport: ScriptedTransport { _ in [0xC0, 0xFF, 0xEE, 0x90, 0x00] }, trace: trace)
        let pin: [UInt8] = [0x31, 0x32, 0x33, 0x34]
        _ = try channel.send(try CommandAPDU(cla: 0, ins: 0x20, p1: 0, p2: 0x81, data: pin, ne: 3, redaction: redaction))
        let text = trace.text
        #expect(text.contains("31323334") == !hidesCommand)
        #expect(text.contains("C0FFEE") == !hidesResponse)
        #expect(text.contains("(4+0006)") && text.contains("(0003+2)"))
        #expect(text.contains("********") == hidesCommand)
        #expect(text.contains("****** 9000") == hidesResponse)
    }

    @Test("a recorded session replays against the channel and catches a changed command")
    func recordReplay() throws {
        let trace = APDUTrace()
        trace.begin(reader: "Scripted 00 00", protocol: .t1, atr: [])
        var pending: [UInt8] = []
        let card = ScriptedTransport { command in
            if command[1] == 0xC0 { defer { pending = [] }; return pending + [0x90, 0x00] }
            if command[1] == 0x20 { return [0x90, 0x00] }
            pending = [7, 8, 9]
            return [1, 2, 0x61, 0x03]
        }
        let live = APDUChannel(transport: card, trace: trace)
        let select = try CommandAPDU(cla: 0, ins: 0xA4, p1: 4, p2: 0, data: [0xA0, 0x00, 0x01])
        let verify = try CommandAPDU(cla: 0, ins: 0x20, p1: 0, p2: 0x81, data: [1, 2, 3, 4], redaction: .commandData)
        let first = try live.send(select)
        _ = try live.send(verify)
        #expect(first.data == [1, 2, 7, 8, 9])

        let replay = try TraceReplay(text: trace.text)
        #expect(replay.exchanges.count == 3)
        let transport = ReplayTransport(replay)
        let replayed = APDUChannel(transport: transport)
        #expect(try replayed.send(select) == first)
        // The PIN was starred in the trace: any PIN of that length replays.
        var otherPIN = verify
        otherPIN = try CommandAPDU(cla: 0, ins: 0x20, p1: 0, p2: 0x81, data: [9, 9, 9, 9])
        #expect(try replayed.send(otherPIN).statusWord == .success)
        #expect(transport.isFinished)

        let strict = APDUChannel(transport: ReplayTransport(replay))
        #expect(throws: ReplayTransport.Mismatch.self) {
            try strict.send(try CommandAPDU(cla: 0, ins: 0xA4, p1: 4, p2: 0, data: [0xA0, 0x00, 0x02]))
        }
    }

    @Test("malformed trace files are refused with the line number", arguments: [
        ("A<< (0000+2) (1ms) 9000", TraceReplay.FormatError.malformedLine(number: 1, reason: "A<< without a command before it")),
        ("A>> T=1 (4+0000) 00A40000", .unansweredCommand(line: 1)),
        ("# ok\nB>> nonsense", .malformedLine(number: 2, reason: "expected A>>, A<< or a # comment")),
        ("A>> T=1 (4+0000) 00A4000", .malformedLine(number: 1, reason: "odd number of hex digits")),
    ])
    func malformedTrace(text: String, expected: TraceReplay.FormatError) {
        #expect(throws: expected) { try TraceReplay(text: text) }
    }
}
