import Synchronization
import SmartCard
import Testing

@Suite("Connections shared with other clients")
struct SessionTests {
    @Test("after a reset by another client the caller hears so once, and the connection works again")
    func resetByAnotherClient() async throws {
        try await withReferenceCard { bench in
            let mine = try await bench.connect()
            let other = try await bench.connect()
            #expect(try await mine.send(selectMF).statusWord == .success)
            try await other.reconnect(.reset)
            let error = await #expect(throws: PCSCError.self) { try await mine.send(selectMF) }
            #expect(error?.code == .resetCard)
            #expect(error?.reader == bench.reader)
            #expect(error?.step == .transmit)
            #expect(try await mine.send(selectMF).statusWord == .success)
            await other.disconnect()
            await mine.disconnect()
        }
    }

    @Test("a transaction keeps another client out until it ends")
    func transactionsExclude() async throws {
        try await withReferenceCard { bench in
            let first = try await bench.connect()
            let second = try await bench.connect()
            let order = Log()
            let waiting = try await first.withTransaction {
                order.append("first begins")
                let waiting = Task { [second, order] in
                    try await second.withTransaction {
                        order.append("second begins")
                        return try await second.send(selectMF)
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await first.send(selectMF).statusWord == .success)
                order.append("first ends")
                return waiting
            }
            #expect(try await waiting.value.statusWord == .success)
            #expect(order.entries == ["first begins", "first ends", "second begins"])
            await first.disconnect()
            await second.disconnect()
        }
    }

    @Test("a transaction ends even when its body throws")
    func transactionEndsOnError() async throws {
        struct Abort: Error {}
        try await withReferenceCard(callTimeout: .seconds(5)) { bench in
            let first = try await bench.connect()
            let second = try await bench.connect()
            await #expect(throws: Abort.self) {
                try await first.withTransaction { () async throws -> Void in throw Abort() }
            }
            // Would time out (a clear error) if the first transaction were still open.
            let answer = try await second.withTransaction { try await second.send(selectMF) }
            #expect(answer.statusWord == .success)
            await first.disconnect()
            await second.disconnect()
        }
    }

    @Test("an exclusive connection refuses others with a sharing violation naming the reader")
    func exclusive() async throws {
        try await withReferenceCard { bench in
            let owner = try await bench.connect(share: .exclusive)
            let error = await #expect(throws: PCSCError.self) { try await bench.connect() }
            #expect(error?.code == .sharingViolation)
            #expect(error?.description.contains(bench.reader) == true)
            await owner.disconnect()
            let later = try await bench.connect()
            #expect(try await later.send(selectMF).statusWord == .success)
            await later.disconnect()
        }
    }

    @Test("a disconnected connection says so, and the trace ends with byte totals")
    func disconnect() async throws {
        try await withReferenceCard { bench in
            let trace = APDUTrace()
            let connection = try await bench.connect(trace: trace)
            _ = try await connection.send(selectMF)
            await connection.disconnect()
            #expect(trace.lines.last?.hasPrefix("# \(bench.reader): 1 APDUs, sent 7 bytes, received 2 bytes") == true)
            await #expect(throws: SmartCardError.connectionClosed(reader: bench.reader)) { try await connection.send(selectMF) }
        }
    }
}

/// Lines appended from several tasks, read back in order.
final class Log: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var entries: [String] { lines.withLock { $0 } }
}
