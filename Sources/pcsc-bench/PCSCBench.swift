import Foundation
import PCSCSandbox
import SmartCard

/// `pcsc-bench [APDUS] [ROUNDS]`: SELECT round trips through several PC/SC clients against one
/// reference card on one private pcscd. See docs/BENCHMARKS.md.
///
/// The machine's speed drifts within seconds, so the peers take turns: each round runs every peer
/// once, in an order rotated per round, and a peer's ratio to the C loop is taken within a round.
/// Peers: this project's Swift layer (one `send` per APDU from the cooperative pool, the same on
/// the connection's executor, and a batch in one `send`), a minimal C loop on libpcsclite, pyscard
/// and opensc-tool. The card is `permit-card` in its own process.
@main
struct PCSCBench {
    static func main() async {
        do {
            let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
            let total = arguments.first ?? 10_000
            let rounds = arguments.dropFirst().first ?? 10
            guard total > 0, rounds > 0, total >= rounds else { throw BenchError.unexpected("usage: pcsc-bench [APDUS] [ROUNDS], APDUS >= ROUNDS > 0") }
            try await run(perRound: total / rounds, rounds: rounds)
        } catch {
            FileHandle.standardError.write(Data("pcsc-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// SELECT the MF without FCI: the shortest useful command, so the figures measure the stack.
    static let select = "00A4000C023F00"

    static func run(perRound: Int, rounds: Int) async throws {
        let sandbox = PCSCSandbox.shared
        let slot = try await sandbox.lease()
        let card = try Peers.startCard(on: slot)
        defer { card.terminate(); card.waitUntilExit() }
        try await sandbox.waitForReader(slot.readerName, in: PCSCContext(), hasCard: true)

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pcsc-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let peers = try Peers.all(reader: slot.readerName, apdu: select, socket: sandbox.socketPath, workDirectory: work)
        var results = peers.map { PeerResult(peer: $0.name) }
        for round in 0..<rounds {
            for turn in 0..<peers.count {
                let index = (turn + round) % peers.count
                results[index].rounds.append(try await peers[index].measure(perRound))
            }
        }
        print(PeerResult.table(results, baseline: Peers.cLoopName))
        if let executor = results.first(where: { $0.peer == Peers.executorName }) {
            print("\n\(Peers.executorName) ÷ \(Peers.spinningCLoopName): \(executor.ratioSummary(to: Peers.spinningCLoopName, in: results))")
        }
        await sandbox.shutdown()
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
