/// A connection to the card in one reader, with its own PC/SC context and thread.
///
/// `send` runs the whole ISO exchange (GET RESPONSE, 6Cxx, chaining) as one job on that
/// thread, so two tasks sharing a connection never interleave the APDUs of one command.
/// After SCARD_W_RESET_CARD the card is reconnected and the error tells the caller to start
/// its card session again; after a pcscd restart the next command reconnects by itself.
/// A removed card stays an error until the caller connects anew (it may be another card).
public final class CardConnection: Sendable {
    public let readerName: String
    public let options: ChannelOptions
    public let trace: APDUTrace?
    let link: CardLink

    init(link: CardLink, options: ChannelOptions, trace: APDUTrace?) {
        readerName = link.readerName
        self.link = link
        self.options = options
        self.trace = trace
    }

    /// Sends one command and returns the card's complete answer.
    public func send(_ command: CommandAPDU) async throws -> ResponseAPDU {
        let (link, options, trace) = (link, options, trace)
        return try await link.session.perform(.transmit, reader: readerName, retry: false) { _ in
            try APDUChannel(transport: link, options: options, trace: trace).send(command)
        }
    }

    /// Sends commands back to back in one job on the connection's thread, stopping at the
    /// first error; for bulk work where a thread hop per APDU would show.
    public func send(_ commands: [CommandAPDU]) async throws -> [ResponseAPDU] {
        let (link, options, trace) = (link, options, trace)
        let perCommand = link.session.callTimeout
        return try await link.session.perform(.transmit, reader: readerName, retry: false, timeout: perCommand * max(commands.count, 1)) { _ in
            let channel = APDUChannel(transport: link, options: options, trace: trace)
            return try commands.map { try channel.send($0) }
        }
    }

    /// The card's answer-to-reset, as read at connect or the last reconnect.
    public var atr: [UInt8] {
        get async throws { try await onThread(.connect) { $0.atr } }
    }

    /// The protocol pcscd negotiated.
    public var cardProtocol: CardProtocol {
        get async throws { try await onThread(.connect) { $0.cardProtocol } }
    }

    /// Reconnects, optionally resetting the card (`.reset`) to clear its session state.
    public func reconnect(_ initialization: Disposition = .leave) async throws {
        try await onThread(.reconnect) { try $0.reconnect(initialization) }
    }

    /// Runs `body` inside a PC/SC transaction (no other application can talk to the card
    /// meanwhile) and always ends the transaction, whether `body` returns or throws.
    /// Ending is best effort: if the card or pcscd went away, there is nothing left to end.
    public func withTransaction<T>(_ body: () async throws -> T) async throws -> T {
        try await link.session.perform(.beginTransaction, reader: readerName, retry: false, lateResult: { [link] _ in
            try? link.endTransaction()  // began after the caller gave up waiting
        }) { [link] _ in try link.beginTransaction() }
        do {
            let result = try await body()
            try? await onThread(.endTransaction) { try $0.endTransaction() }
            return result
        } catch {
            try? await onThread(.endTransaction) { try $0.endTransaction() }
            throw error
        }
    }

    /// Leaves the card (by default as it is) and writes the byte totals to the trace.
    /// Later commands fail with `SmartCardError.connectionClosed`.
    public func disconnect(_ disposition: Disposition = .leave) async {
        _ = try? await onThread(.disconnect) { $0.disconnect(disposition) }
        await link.session.close()
        trace?.end(reader: readerName)
    }

    private func onThread<T: Sendable>(_ step: PCSCStep, _ body: @escaping @Sendable (CardLink) throws -> T) async throws -> T {
        let link = link
        return try await link.session.perform(step, reader: readerName, retry: false) { _ in try body(link) }
    }
}
