/// The entry point to pcscd: reader lists, reader events and card connections.
///
/// Every blocking libpcsclite call runs on a dedicated thread (never Swift's cooperative
/// pool) and every wait has a time limit. When pcscd goes away and comes back, the next
/// call establishes a fresh context: callers keep the same `PCSCContext` throughout.
public final class PCSCContext: Sendable {
    /// The longest any single PC/SC call may take before `SmartCardError.timedOut`.
    public let callTimeout: Duration
    let session: PCSCSession

    public init(callTimeout: Duration = .seconds(10)) {
        self.callTimeout = callTimeout
        session = PCSCSession(name: "pcsc-context", callTimeout: callTimeout)
    }

    /// Releases the PC/SC context now rather than when this object goes away; call it before
    /// a program exits. A later call establishes a fresh context.
    public func close() async {
        await session.close()
    }

    /// Reader names as pcscd lists them.
    public func readerNames() async throws -> [String] {
        try await session.perform(.listReaders) { try listReaderNames($0) }
    }

    /// Every reader with its card state and ATR, read without waiting.
    public func readers() async throws -> [ReaderStatus] {
        try await session.perform(.readerStatus) { context in
            while true {
                let set = ReaderStateSet(names: try listReaderNames(context), watchPlugAndPlay: false)
                do {
                    _ = try set.wait(context, milliseconds: 0)
                    return set.statuses
                } catch let error as PCSCError where error.code == .unknownReader {
                    continue  // a reader left between listing and reading: list again
                }
            }
        }
    }

    /// Reader and card events, starting with what is present now. Each iterator has its own
    /// PC/SC context and thread; cancelling the consuming task ends the sequence.
    /// - Parameters:
    ///   - waitSlice: how long one SCardGetStatusChange waits before checking cancellation.
    ///   - retryInterval: how often to look for pcscd while it is gone.
    public func events(waitSlice: Duration = .milliseconds(500), retryInterval: Duration = .milliseconds(200)) -> ReaderEvents {
        ReaderEvents(callTimeout: callTimeout, waitSlice: waitSlice, retryInterval: retryInterval)
    }

    /// Picks a reader by what an operator typed: the exact name, else the one reader whose
    /// name contains it (ignoring case). With no name: the first reader holding a card.
    public func reader(matching query: String?) async throws -> ReaderStatus {
        let all = try await readers()
        guard let query else {
            guard let withCard = all.first(where: \.hasCard) else { throw SmartCardError.noCardPresent(readers: all.map(\.name)) }
            return withCard
        }
        if let exact = all.first(where: { $0.name == query }) { return exact }
        let matches = all.filter { $0.name.lowercased().contains(query.lowercased()) }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw SmartCardError.unknownReader(name: query, available: all.map(\.name))
        default: throw SmartCardError.ambiguousReader(name: query, matches: matches.map(\.name))
        }
    }

    /// Connects to the card in `reader` (its exact name) on a new context and thread.
    public func connect(
        _ reader: String, share: ShareMode = .shared, protocols: ProtocolSet = .any,
        options: ChannelOptions = ChannelOptions(), trace: APDUTrace? = nil
    ) async throws -> CardConnection {
        let link = CardLink(
            session: PCSCSession(name: "pcsc-card", callTimeout: callTimeout),
            readerName: reader, share: share, protocols: protocols)
        do {
            try await link.session.perform(.connect, reader: reader, lateResult: { _ in link.disconnect(.leave) }) { context in
                try link.connect(context)
            }
        } catch let error as PCSCError where error.code == .unknownReader {
            throw SmartCardError.unknownReader(name: reader, available: (try? await readerNames()) ?? [])
        }
        if let trace {
            let (atr, cardProtocol) = try await link.session.perform(.connect, reader: reader) { _ in (link.atr, link.cardProtocol) }
            trace.begin(reader: reader, protocol: cardProtocol, atr: atr)
        }
        return CardConnection(link: link, options: options, trace: trace)
    }
}
