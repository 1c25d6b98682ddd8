import Foundation
import SmartCard

/// `pcsc-bench peer`: this build's `SmartCard` layer as a benchmark peer, in a process of its own
/// like the other peers. Each reader gets its connection and a task that performs the operation
/// (the APDUs, in order) over and over; every answer must be 9000.
enum SwiftPeer {
    static func run(_ kind: SwiftPeerKind, readers: [String], apdus: [CommandAPDU], operations: Int?, seconds: Double?) async throws -> Sample {
        let context = PCSCContext()
        var connections: [CardConnection] = []
        for reader in readers { connections.append(try await context.connect(reader)) }
        let deadline = seconds.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        let cpuBefore = Sample.processCPUTime()
        let start = ContinuousClock.now
        let times: [Double]
        if kind == .batch {
            guard connections.count == 1, let operations else { throw BenchError.unexpected("a batch runs on one reader for a number of operations") }
            let answers = try await connections[0].send(Array(repeating: apdus, count: operations).flatMap { $0 })
            try answers.forEach(check)
            times = [(ContinuousClock.now - start).microseconds / Double(operations)]
        } else {
            times = try await withThrowingTaskGroup(of: [Double].self) { group in
                for connection in connections {
                    group.addTask {
                        if kind == .transaction {
                            try await connection.withTransaction { try await loop(connection, apdus, operations: operations, until: deadline) }
                        } else {
                            try await loop(connection, apdus, operations: operations, until: deadline)
                        }
                    }
                }
                return try await group.reduce([], +)
            }
        }
        let wall = (ContinuousClock.now - start).microseconds / 1e6
        let count = kind == .batch ? operations! : times.count
        let cpu = (Sample.processCPUTime() - cpuBefore) / Double(count)
        for connection in connections { await connection.disconnect() }
        await context.close()
        return kind == .batch
            ? Sample(n: count, median: times[0], p99: nil, cpu: cpu, wall: wall)
            : Sample(samples: times, cpu: cpu, wall: wall)
    }

    /// Performs the operation `operations` times, or until `deadline`; each one's time in µs.
    private static func loop(_ connection: CardConnection, _ apdus: [CommandAPDU], operations: Int?, until deadline: ContinuousClock.Instant?) async throws -> [Double] {
        var times: [Double] = []
        times.reserveCapacity(operations ?? 1024)
        while operations.map({ times.count < $0 }) ?? (ContinuousClock.now < deadline!) {
            let start = ContinuousClock.now
            for apdu in apdus { try check(try await connection.send(apdu)) }
            times.append((ContinuousClock.now - start).microseconds)
        }
        return times
    }

    private static func check(_ answer: ResponseAPDU) throws {
        guard answer.statusWord == .success else { throw BenchError.unexpected("the card answered \(answer.statusWord)") }
    }
}
