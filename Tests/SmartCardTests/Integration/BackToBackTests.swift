import Foundation
import SmartCard
import Testing

/// APDU after APDU, as a card operation sends them: each command gets its own answer, and inside a
/// transaction every call keeps its time limit and the transaction still ends.
@Suite("APDUs sent back to back")
struct BackToBackTests {
    @Test("a task sending APDU after APDU gets each command's own answer, in order")
    func answersInOrder() async throws {
        try await withReferenceCard { bench in
            let connection = try await bench.connect()
            var words: [StatusWord] = []
            for _ in 0..<50 {
                words.append(try await connection.send(selectMF).statusWord)
                // A file the reference card does not have: its answer must be this command's, not the last one's.
                words.append(try await connection.send(try CommandAPDU(cla: 0, ins: 0xA4, p1: 0x00, p2: 0x0C, data: [0x7F, 0x7F])).statusWord)
            }
            #expect(words == Array(repeating: [StatusWord.success, .fileNotFound], count: 50).flatMap { $0 })
            await connection.disconnect()
        }
    }

    @Test("in a transaction, a card slower than the call limit gives a timeout, and the transaction ends")
    func timeLimitInTransaction() async throws {
        try await withReferenceCard(callTimeout: .seconds(1)) { bench in
            let connection = try await bench.connect()
            let other = try await PCSCContext(callTimeout: .seconds(10)).connect(bench.reader)
            // The card answers at 6 s: far enough from the 1 s limit that a loaded CI machine's
            // scheduling delay cannot be mistaken for waiting on the card.
            bench.injectFaults(latency: .seconds(6))
            let started = ContinuousClock.now
            await #expect(throws: SmartCardError.timedOut(step: .transmit, reader: bench.reader, seconds: 1)) {
                try await connection.withTransaction { try await connection.send(selectMF) }
            }
            #expect(ContinuousClock.now - started < .seconds(4.5))
            bench.injectFaults()
            // The late answer comes at 6 s and the transaction's end follows it: another client's
            // transaction (10 s limit) begins then, not 10 s later.
            let answer = try await other.withTransaction { try await other.send(selectMF) }
            #expect(answer.statusWord == .success)
            #expect(ContinuousClock.now - started < .seconds(9.5))
            await connection.disconnect()
            await other.disconnect()
        }
    }
}
