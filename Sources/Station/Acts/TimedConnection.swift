import Foundation
import ISO7816

/// A card connection that adds up the time spent waiting for the card, so an act can tell its own time
/// (API, registry, journal) apart from the card's (docs/BENCHMARKS.md, "Station acts").
final class TimedConnection: APDUConnection, @unchecked Sendable {
    let base: any APDUConnection
    private let lock = NSLock()
    private var waited = Duration.zero

    init(_ base: any APDUConnection) {
        self.base = base
    }

    /// Time spent in the card's answers so far.
    var cardTime: Duration { lock.withLock { waited } }

    func send(_ command: CommandAPDU) async throws -> ResponseAPDU {
        let start = ContinuousClock.now
        defer { add(ContinuousClock.now - start) }
        return try await base.send(command)
    }

    var atr: [UInt8] {
        get async throws { try await base.atr }
    }

    func withTransaction<T>(_ body: () async throws -> T) async throws -> T {
        try await base.withTransaction(body)
    }

    func disconnect() async { await base.disconnect() }

    private func add(_ duration: Duration) { lock.withLock { waited += duration } }
}
