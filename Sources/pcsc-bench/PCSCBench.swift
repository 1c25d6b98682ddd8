import Foundation
import PCSCSandbox
import SmartCard

/// `pcsc-bench`: SELECT round trips through four PC/SC clients against one reference card on one
/// private pcscd, in one run, so the ratios hold on a noisy machine. See docs/BENCHMARKS.md.
///
/// Peers: this project's Swift layer (one `send` per APDU, and a batch in one `send`), a minimal C
/// loop on libpcsclite, pyscard, and opensc-tool. The card is `permit-card` in its own process.
@main
struct PCSCBench {
    static func main() async {
        do {
            let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 10_000
            try await run(count: count)
        } catch {
            FileHandle.standardError.write(Data("pcsc-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// SELECT the MF without FCI: the shortest useful command, so the figures measure the stack.
    static let select = "00A4000C023F00"

    static func run(count: Int) async throws {
        let sandbox = PCSCSandbox.shared
        let slot = try await sandbox.lease()
        let card = try Peers.startCard(on: slot)
        defer { card.terminate(); card.waitUntilExit() }
        try await Peers.waitForCard(in: slot.readerName)

        var results: [LatencySummary] = []
        results.append(try await swiftLoop(reader: slot.readerName, count: count))
        results.append(try await swiftBatch(reader: slot.readerName, count: count))
        results.append(try Peers.cLoop(reader: slot.readerName, count: count, apdu: select, socket: sandbox.socketPath))
        results.append(try Peers.pyscard(reader: slot.readerName, count: count, apdu: select, socket: sandbox.socketPath))
        results.append(try Peers.openscTool(reader: slot.readerName, count: count, apdu: select, socket: sandbox.socketPath))
        print(LatencySummary.table(results, baseline: "C loop on libpcsclite"))
        await sandbox.shutdown()
    }

    static func swiftLoop(reader: String, count: Int) async throws -> LatencySummary {
        let connection = try await PCSCContext().connect(reader)
        defer { Task { await connection.disconnect() } }
        let command = try CommandAPDU(hex: select)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let clock = ContinuousClock()
        for _ in 0..<count {
            let start = clock.now
            let response = try await connection.send(command)
            samples.append((clock.now - start).microseconds)
            guard response.statusWord == .success else { throw BenchError.unexpected("Swift layer got \(response.statusWord)") }
        }
        return LatencySummary(peer: "Swift layer, one send per APDU", samples: samples)
    }

    /// All APDUs in one `send`: the per-APDU cost without the hop to the connection's thread.
    static func swiftBatch(reader: String, count: Int) async throws -> LatencySummary {
        let connection = try await PCSCContext().connect(reader)
        defer { Task { await connection.disconnect() } }
        let commands = Array(repeating: try CommandAPDU(hex: select), count: count)
        let clock = ContinuousClock()
        let start = clock.now
        let responses = try await connection.send(commands)
        let mean = (clock.now - start).microseconds / Double(count)
        guard responses.allSatisfy({ $0.statusWord == .success }) else { throw BenchError.unexpected("Swift batch got an error status") }
        return LatencySummary(peer: "Swift layer, batch send (mean only)", meanOnly: mean, count: count)
    }
}

enum BenchError: Error, CustomStringConvertible {
    case unexpected(String)
    case peerFailed(peer: String, output: String)

    var description: String {
        switch self {
        case .unexpected(let what): what
        case .peerFailed(let peer, let output): "\(peer) failed: \(output)"
        }
    }
}

extension Duration {
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e6 + Double(attoseconds) / 1e12
    }
}
