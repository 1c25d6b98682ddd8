import SmartCard
import Synchronization

/// A connection to the card in an `InProcessReader`: the card application's line to it
/// (`APDUConnection`), through SmartCard's `APDUChannel` so GET RESPONSE, chaining and the trace
/// behave as over PC/SC. One program owns the process, so a transaction only runs its body.
public final class InProcessConnection: APDUConnection {
    public let reader: InProcessReader
    public let options: ChannelOptions
    public let trace: APDUTrace?
    private let transport: Transport

    init(reader: InProcessReader, insertion: Int, options: ChannelOptions, trace: APDUTrace?) {
        self.reader = reader
        self.options = options
        self.trace = trace
        transport = Transport(reader: reader, insertion: insertion)
    }

    public func send(_ command: CommandAPDU) async throws -> ResponseAPDU {
        try APDUChannel(transport: transport, options: options, trace: trace).send(command)
    }

    public var atr: [UInt8] {
        get async throws {
            try reader.requirePresent(insertion: transport.insertion)
            return reader.atr
        }
    }

    public func withTransaction<T>(_ body: () async throws -> T) async throws -> T {
        try await body()
    }

    public func disconnect() async {
        transport.closed.withLock { $0 = true }
        trace?.end(reader: reader.name)
    }

    /// The raw byte line under the channel: one card session of the reader.
    private final class Transport: CardTransport, Sendable {
        let reader: InProcessReader
        let insertion: Int
        let closed = Mutex(false)

        init(reader: InProcessReader, insertion: Int) {
            self.reader = reader
            self.insertion = insertion
        }

        var readerName: String { reader.name }
        var cardProtocol: CardProtocol { .t1 }

        func transmit(_ command: [UInt8]) throws -> [UInt8] {
            guard !closed.withLock({ $0 }) else { throw SmartCardError.connectionClosed(reader: reader.name) }
            return try reader.transmit(command, insertion: insertion)
        }
    }
}
