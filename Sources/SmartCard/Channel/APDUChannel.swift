/// What the card takes, and how far the channel goes to get a whole answer.
public struct ChannelOptions: Hashable, Sendable {
    /// The card accepts extended Lc/Le (ISO 7816-4 §5.1); otherwise data is chained and
    /// long answers are collected with GET RESPONSE.
    public var extendedLength: Bool
    /// Split command data longer than one APDU takes into a chain (CLA bit 0x10).
    public var commandChaining: Bool
    /// Command data per APDU when extended length is off (255 for most cards; some take less).
    public var maxShortData: Int
    /// GET RESPONSE rounds before the channel calls the card's 61xx answers endless.
    public var maxResponseRounds: Int

    public init(extendedLength: Bool = false, commandChaining: Bool = true, maxShortData: Int = 255, maxResponseRounds: Int = 256) {
        self.extendedLength = extendedLength
        self.commandChaining = commandChaining
        self.maxShortData = min(max(maxShortData, 1), 255)
        self.maxResponseRounds = maxResponseRounds
    }
}

/// ISO/IEC 7816-3/-4 transport rules over raw bytes: automatic GET RESPONSE on 61xx,
/// re-send with the corrected Le on 6Cxx, command chaining for long data, extended length
/// when the card takes it; each raw exchange timed and written to the trace.
public struct APDUChannel {
    public let transport: any CardTransport
    public var options: ChannelOptions
    public let trace: APDUTrace?
    private let clock = ContinuousClock()

    public init(transport: any CardTransport, options: ChannelOptions = ChannelOptions(), trace: APDUTrace? = nil) {
        self.transport = transport
        self.options = options
        self.trace = trace
    }

    /// Sends a command and returns the whole answer: data from every GET RESPONSE joined,
    /// with the last status word. A chain the card refuses ends with the card's status word.
    public func send(_ command: CommandAPDU) throws -> ResponseAPDU {
        let limit = options.extendedLength ? CommandAPDU.maxData : options.maxShortData
        guard command.data.count > limit else { return try exchange(command, step: .transmit) }
        guard options.commandChaining else {
            throw SmartCardError.commandTooLong(reader: transport.readerName, count: command.data.count, limit: limit)
        }
        var start = 0
        while command.data.count - start > limit {
            let part = try CommandAPDU(
                cla: command.cla | 0x10, ins: command.ins, p1: command.p1, p2: command.p2,
                data: Array(command.data[start..<(start + limit)]), redaction: command.redaction)
            let answer = try exchange(part, step: .commandChaining)
            guard answer.statusWord == .success else { return answer }
            start += limit
        }
        let last = try CommandAPDU(
            cla: command.cla, ins: command.ins, p1: command.p1, p2: command.p2,
            data: Array(command.data[start...]), ne: command.ne, redaction: command.redaction)
        return try exchange(last, step: .transmit)
    }

    private func exchange(_ original: CommandAPDU, step: PCSCStep) throws -> ResponseAPDU {
        var command = original
        if !options.extendedLength && command.ne > 256 { command = command.expecting(256) }
        var answer = try transmitCorrectingLe(command, step: step)
        var data = answer.data
        var rounds = 0
        while answer.statusWord.sw1 == 0x61 {
            rounds += 1
            guard rounds <= options.maxResponseRounds else {
                throw SmartCardError.endlessResponse(reader: transport.readerName, rounds: options.maxResponseRounds)
            }
            let available = answer.statusWord.sw2 == 0 ? 256 : Int(answer.statusWord.sw2)
            let getResponse = try CommandAPDU(
                cla: Self.getResponseClass(for: command.cla), ins: 0xC0, p1: 0, p2: 0,
                ne: available, redaction: original.redaction.intersection(.responseData))
            answer = try transmitCorrectingLe(getResponse, step: .getResponse)
            data += answer.data
        }
        return ResponseAPDU(data: data, statusWord: answer.statusWord)
    }

    /// 6Cxx says "wrong Le, xx bytes available": send the same command once more with Le = xx.
    private func transmitCorrectingLe(_ command: CommandAPDU, step: PCSCStep) throws -> ResponseAPDU {
        let answer = try transmitOnce(command, step: step)
        guard answer.statusWord.sw1 == 0x6C else { return answer }
        let corrected = answer.statusWord.sw2 == 0 ? 256 : Int(answer.statusWord.sw2)
        return try transmitOnce(command.expecting(corrected), step: step)
    }

    private func transmitOnce(_ command: CommandAPDU, step: PCSCStep) throws -> ResponseAPDU {
        let encoded = command.bytes
        let started = clock.now
        let raw: [UInt8]
        do {
            raw = try transport.transmit(encoded)
        } catch {
            trace?.recordFailure(error)
            throw error
        }
        trace?.record(command: command, encoded: encoded, response: raw, protocol: transport.cardProtocol, duration: clock.now - started)
        do {
            return try ResponseAPDU(bytes: raw)
        } catch {
            throw SmartCardError.malformedResponse(reader: transport.readerName, step: step, problem: error)
        }
    }

    /// GET RESPONSE goes on the command's logical channel, without chaining or secure-messaging bits.
    static func getResponseClass(for cla: UInt8) -> UInt8 {
        switch cla {
        case let c where c & 0xE0 == 0x00: c & 0x03          // first interindustry: channels 0-3
        case let c where c & 0xC0 == 0x40: 0x40 | (c & 0x0F) // further interindustry: channels 4-19
        default: 0x00                                        // proprietary classes: GET RESPONSE on CLA 00
        }
    }
}
