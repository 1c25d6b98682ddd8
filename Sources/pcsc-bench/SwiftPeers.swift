import Foundation
import SmartCard

/// The project's own layer as benchmark peers: each round connects afresh (another peer may
/// have reset the card in between) and disconnects after.
enum SwiftPeers {
    /// One `send` per APDU; with `onConnectionExecutor` the loop runs on the connection's own
    /// executor, as a transaction's body does, instead of the cooperative pool.
    static func loop(reader: String, apdu: String, count: Int, onConnectionExecutor: Bool) async throws -> LatencySummary {
        let connection = try await PCSCContext().connect(reader)
        let command = try CommandAPDU(hex: apdu)
        let executor = onConnectionExecutor ? connection.executor : nil
        let cpuBefore = LatencySummary.processCPUTime()
        let samples = try await withTaskExecutorPreference(executor) {
            var samples: [Double] = []
            samples.reserveCapacity(count)
            let clock = ContinuousClock()
            for _ in 0..<count {
                let start = clock.now
                let response = try await connection.send(command)
                samples.append((clock.now - start).microseconds)
                guard response.statusWord == .success else { throw BenchError.unexpected("Swift layer got \(response.statusWord)") }
            }
            return samples
        }
        let cpu = (LatencySummary.processCPUTime() - cpuBefore) / Double(count)
        await connection.disconnect()
        return LatencySummary(samples: samples, cpuPerAPDU: cpu)
    }

    /// All APDUs in one `send`: the per-APDU cost with no hop at all (a mean, no percentiles).
    static func batch(reader: String, apdu: String, count: Int) async throws -> LatencySummary {
        let connection = try await PCSCContext().connect(reader)
        let commands = Array(repeating: try CommandAPDU(hex: apdu), count: count)
        let clock = ContinuousClock()
        let cpuBefore = LatencySummary.processCPUTime()
        let start = clock.now
        let responses = try await connection.send(commands)
        let mean = (clock.now - start).microseconds / Double(count)
        let cpu = (LatencySummary.processCPUTime() - cpuBefore) / Double(count)
        await connection.disconnect()
        guard responses.allSatisfy({ $0.statusWord == .success }) else { throw BenchError.unexpected("Swift batch got an error status") }
        return LatencySummary(meanOnly: mean, count: count, cpuPerAPDU: cpu)
    }
}
