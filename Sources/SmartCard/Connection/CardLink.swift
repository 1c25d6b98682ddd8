import CPCSCLite

/// The raw PC/SC side of a card connection: handle, protocol, ATR and SCardTransmit.
/// Touched only on its session's thread, which is what makes `@unchecked Sendable` hold.
final class CardLink: CardTransport, @unchecked Sendable {
    let session: PCSCSession
    let readerName: String
    let share: ShareMode
    let protocols: ProtocolSet
    private(set) var handle: SCARDHANDLE?
    private(set) var cardProtocol: CardProtocol = .undefined
    private(set) var atr: [UInt8] = []
    private(set) var closed = false
    /// Room for the longest extended response (64 KiB + SW), reused for every APDU.
    private var buffer = [UInt8](repeating: 0, count: 4 + 3 + 65_536 + 3 + 2)

    init(session: PCSCSession, readerName: String, share: ShareMode, protocols: ProtocolSet) {
        self.session = session
        self.readerName = readerName
        self.share = share
        self.protocols = protocols
    }

    func connect(_ context: SCARDCONTEXT) throws(PCSCError) {
        var newHandle: SCARDHANDLE = 0
        var active: DWORD = 0
        let returnValue = HandleListLock.connecting(to: readerName) {
            SCardConnect(context, readerName, DWORD(share.rawValue), DWORD(protocols.rawValue), &newHandle, &active)
        }
        try check(returnValue, .connect, reader: readerName)
        handle = newHandle
        cardProtocol = CardProtocol(bits: UInt(active))
        readStatus()
    }

    func transmit(_ command: [UInt8]) throws -> [UInt8] {
        guard !closed else { throw SmartCardError.connectionClosed(reader: readerName) }
        if handle == nil { try connect(try session.context()) }  // first use after a pcscd restart
        var request = SCARD_IO_REQUEST(dwProtocol: cardProtocol.bits, cbPciLength: UInt(MemoryLayout<SCARD_IO_REQUEST>.size))
        // A short APDU gets at most 256 bytes + SW back; offer pcscd the 64 KiB buffer only when
        // the command is extended (as a C client would).
        let extended = command.count > 5 && command[4] == 0
        var length = DWORD(extended ? buffer.count : 258)
        let returnValue = command.withUnsafeBufferPointer { sent in
            buffer.withUnsafeMutableBufferPointer { received in
                HandleListLock.lookingUp { SCardTransmit(handle!, &request, sent.baseAddress, DWORD(sent.count), nil, received.baseAddress, &length) }
            }
        }
        guard let error = PCSCError(returnValue: Int(returnValue), reader: readerName, step: .transmit) else {
            return Array(buffer[0..<Int(length)])
        }
        recover(from: error)
        throw error
    }

    /// A reset card is reconnected at once (its session state is gone either way, and the
    /// caller hears so from the error); after pcscd went away, handle and context are dropped
    /// so the next command connects afresh.
    func recover(from error: PCSCError) {
        if error.code == .resetCard {
            try? reconnect(.leave)
        } else if error.meansServiceLost {
            if let handle { HandleListLock.forget(handle, in: readerName) }
            handle = nil
            session.drop()
        }
    }

    func reconnect(_ initialization: Disposition) throws(PCSCError) {
        guard let handle else { return try connect(try session.context()) }
        var active: DWORD = 0
        let returnValue = HandleListLock.lookingUp {
            SCardReconnect(handle, DWORD(share.rawValue), DWORD(protocols.rawValue), DWORD(initialization.rawValue), &active)
        }
        try check(returnValue, .reconnect, reader: readerName)
        cardProtocol = CardProtocol(bits: UInt(active))
        readStatus()
    }

    func beginTransaction() throws(PCSCError) {
        if handle == nil, !closed { try connect(try session.context()) }  // first use after a pcscd restart, as `transmit`
        guard let handle else { throw PCSCError(code: .invalidHandle, reader: readerName, step: .beginTransaction) }
        let returnValue = HandleListLock.beginningTransaction(on: readerName, by: handle) { SCardBeginTransaction(handle) }
        if let error = PCSCError(returnValue: Int(returnValue), reader: readerName, step: .beginTransaction) {
            recover(from: error)
            throw error
        }
    }

    func endTransaction() throws(PCSCError) {
        guard let handle else { return }
        let returnValue = HandleListLock.endingTransaction(on: readerName, by: handle) { SCardEndTransaction(handle, DWORD(Disposition.leave.rawValue)) }
        try check(returnValue, .endTransaction, reader: readerName)
    }

    func disconnect(_ disposition: Disposition) {
        if let handle {
            _ = HandleListLock.disconnecting(handle, from: readerName, resets: disposition != .leave) {
                SCardDisconnect(handle, DWORD(disposition.rawValue))
            }
        }
        handle = nil
        closed = true
    }

    private func readStatus() {
        guard let handle else { return }
        var nameLength: DWORD = 0
        var state: DWORD = 0
        var active: DWORD = 0
        var atrBytes = [UInt8](repeating: 0, count: 33)
        var atrLength = DWORD(atrBytes.count)
        let returnValue = HandleListLock.lookingUp { SCardStatus(handle, nil, &nameLength, &state, &active, &atrBytes, &atrLength) }
        if returnValue == SCARD_S_SUCCESS {
            atr = Array(atrBytes.prefix(Int(atrLength)))
        }
    }
}
