import ISO7816
import Synchronization

/// A hostile reader between a station and a card (issue 18's relay): it passes every APDU along over its
/// own connection to the card (through pcscd in the attack tests), keeps a copy of everything it saw, and
/// its `tamper` decides what the station gets back: the card's answer, an answer from an earlier session,
/// a refusal of its own, or anything after commands it injected.
final class Relay: APDUConnection {
    typealias Forward = @Sendable (CommandAPDU) async throws -> ResponseAPDU
    /// Given the station's command and a way to reach the card, the answer the station receives.
    typealias Tamper = @Sendable (CommandAPDU, Forward) async throws -> ResponseAPDU

    let card: any APDUConnection
    private let tamper: Tamper
    private let log = Mutex<[(command: CommandAPDU, response: ResponseAPDU)]>([])

    init(_ card: any APDUConnection, tamper: @escaping Tamper = { command, forward in try await forward(command) }) {
        self.card = card
        self.tamper = tamper
    }

    /// Every exchange with the card the relay made (the station's and its own), in order.
    var exchanges: [(command: CommandAPDU, response: ResponseAPDU)] { log.withLock { $0 } }

    /// Every byte that went over the relay, both ways.
    var bytesSeen: [UInt8] { exchanges.flatMap { $0.command.bytes + $0.response.bytes } }

    /// The card's answer to the first command with instruction `ins` (the class bits do not matter).
    func answer(to ins: UInt8) -> ResponseAPDU? { exchanges.first { $0.command.ins == ins }?.response }

    func send(_ command: CommandAPDU) async throws -> ResponseAPDU {
        try await tamper(command) { command in
            let response = try await self.card.send(command)
            self.log.withLock { $0.append((command, response)) }
            return response
        }
    }

    var atr: [UInt8] { get async throws { try await card.atr } }

    func withTransaction<T>(_ body: () async throws -> T) async throws -> T { try await card.withTransaction(body) }

    func disconnect() async { await card.disconnect() }
}

extension [UInt8] {
    /// Whether `needle` occurs in these bytes.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
