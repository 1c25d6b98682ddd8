import Foundation
import SmartCard
import Testing

/// A caller running on the connection's own executor skips a thread wake-up per command; it
/// must still get the card's answers, in order, and every call must keep its time limit.
@Suite("The connection's executor")
struct ExecutorTests {
    @Test("a task preferring the executor runs on the connection's thread and gets the card's answers")
    func sendsFromTheExecutor() async throws {
        try await withReferenceCard { bench in
            let connection = try await bench.connect()
            let (threads, words) = try await withTaskExecutorPreference(connection.executor) {
                var threads: Set<String> = []
                var words: [StatusWord] = []
                for _ in 0..<50 {
                    threads.insert(currentThreadName() ?? "")
                    words.append(try await connection.send(selectMF).statusWord)
                    // A file the reference card does not have: its answer must be this command's, not the last one's.
                    words.append(try await connection.send(try CommandAPDU(cla: 0, ins: 0xA4, p1: 0x00, p2: 0x0C, data: [0x7F, 0x7F])).statusWord)
                }
                return (threads, words)
            }
            #expect(threads == ["pcsc-session"])
            #expect(words == Array(repeating: [StatusWord.success, .fileNotFound], count: 50).flatMap { $0 })
            await connection.disconnect()
        }
    }

    @Test("a transaction's body runs on the connection's executor")
    func transactionBodyOnTheExecutor() async throws {
        try await withReferenceCard { bench in
            let connection = try await bench.connect()
            let thread = try await connection.withTransaction {
                _ = try await connection.send(selectMF)
                return currentThreadName()
            }
            #expect(thread == "pcsc-session")
            await connection.disconnect()
        }
    }

    @Test("on the executor, a card slower than the call limit still gives a timeout")
    func timeLimitHolds() async throws {
        try await withReferenceCard(callTimeout: .seconds(1)) { bench in
            let connection = try await bench.connect()
            bench.injectFaults(latency: .seconds(3))
            let clock = ContinuousClock()
            let started = clock.now
            await #expect(throws: SmartCardError.timedOut(step: .transmit, reader: bench.reader, seconds: 1)) {
                try await withTaskExecutorPreference(connection.executor) { try await connection.send(selectMF) }
            }
            #expect(clock.now - started < .seconds(2.5))
            bench.injectFaults()
        }
    }
}

/// The OS name of the thread running the caller (a synchronous call: async code may move
/// between threads at each await).
private func currentThreadName() -> String? {
    (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?.trimmingCharacters(in: .newlines)
}
