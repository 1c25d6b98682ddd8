import PCSCSandbox
import SmartCard
import Testing

/// libpcsclite's per-process handle lists under connections that come and go while others are busy.
@Suite("Connections opened and closed beside busy ones")
struct HandleListTests {
    @Test("connecting and disconnecting while other connections exchange APDUs neither crashes nor fails")
    func connectWhileOthersTransmit() async throws {
        try await withReferenceCard { bench in
            let until = ContinuousClock.now + .seconds(3)
            let counts = try await withThrowingTaskGroup(of: (exchanges: Int, connects: Int).self) { group in
                for _ in 0..<3 {
                    let busy = try await bench.connect()
                    group.addTask { () async throws -> (exchanges: Int, connects: Int) in
                        var exchanges = 0
                        while ContinuousClock.now < until {
                            let answer = try await busy.send(selectMF)
                            #expect(answer.statusWord == .success)
                            exchanges += 1
                        }
                        await busy.disconnect()
                        return (exchanges, 0)
                    }
                    group.addTask { () async throws -> (exchanges: Int, connects: Int) in
                        var connects = 0
                        while ContinuousClock.now < until {
                            let passing = try await bench.connect()
                            await passing.disconnect()
                            connects += 1
                        }
                        return (0, connects)
                    }
                }
                return try await group.reduce((0, 0)) { ($0.0 + $1.exchanges, $0.1 + $1.connects) }
            }
            #expect(counts.0 > 0 && counts.1 > 0)
        }
    }
}

extension HandleListTests {
    /// While one connection holds a transaction, another waits to begin one (from a child task of the
    /// first one's body) and connects to the same reader keep arriving: none of
    /// them may hold off the calls that end the first transaction. A lock held across calls that pcscd
    /// makes wait for the transaction stalled every call in the process for 10 s (CI, 2026-12-06).
    @Test("a transaction ends while another client waits to begin and connects keep coming")
    func transactionEndsDuringConnects() async throws {
        try await withReferenceCard { bench in
            let first = try await bench.connect()
            let second = try await bench.connect()
            let ended = Log()
            let churnLimit = ContinuousClock.now + .seconds(8)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        while ended.entries.isEmpty && ContinuousClock.now < churnLimit {
                            let passing = try await bench.connect()
                            await passing.disconnect()
                        }
                    }
                }
                try await first.withTransaction {
                    group.addTask { _ = try await second.withTransaction { try await second.send(selectMF) } }
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(try await first.send(selectMF).statusWord == .success)
                }
                ended.append(ContinuousClock.now < churnLimit ? "ended while connects kept coming" : "ended after the connects stopped")
                try await group.waitForAll()
            }
            #expect(ended.entries == ["ended while connects kept coming"])
            await first.disconnect()
            await second.disconnect()
        }
    }
}
