/// How a station recognises the card product: its answer-to-reset and the application identifier.
public struct CardIdentity: Sendable, Hashable {
    /// The ATR the product's chip sends (ISO/IEC 7816-3).
    public var atr: [UInt8]
    /// Which ATR bits must match (1 bits are compared); nil: the whole ATR must match.
    public var atrMask: [UInt8]?
    /// The application identifier selected by `SELECT` (ISO/IEC 7816-5, 5 to 16 bytes).
    public var aid: [UInt8]
    /// Non-volatile memory the application may use, in bytes; the file layout must fit in it.
    public var memory: Int

    public init(atr: [UInt8], atrMask: [UInt8]? = nil, aid: [UInt8], memory: Int) {
        self.atr = atr
        self.atrMask = atrMask
        self.aid = aid
        self.memory = memory
    }

    /// Whether `candidate` is this product's ATR (under the mask, if any).
    public func matchesATR(_ candidate: [UInt8]) -> Bool {
        guard candidate.count == atr.count else { return false }
        let mask = atrMask ?? [UInt8](repeating: 0xFF, count: atr.count)
        return zip(zip(candidate, atr), mask).allSatisfy { pair, bits in pair.0 & bits == pair.1 & bits }
    }
}

/// The APDU sizes the card accepts; they decide how many commands a long file needs.
public struct APDULimits: Sendable, Hashable {
    /// Whether the card takes extended-length APDUs (ISO/IEC 7816-4 §5.1).
    public var extendedLength: Bool
    /// The most command data bytes (Nc) in one APDU.
    public var maxCommandData: Int
    /// The most response data bytes (Ne) in one APDU.
    public var maxResponseData: Int

    public init(extendedLength: Bool, maxCommandData: Int, maxResponseData: Int) {
        self.extendedLength = extendedLength
        self.maxCommandData = maxCommandData
        self.maxResponseData = maxResponseData
    }
}

/// The holder PIN for kiosk self-service; absent from a profile whose cards have none.
public struct PINPolicy: Sendable, Hashable {
    public var minLength: Int
    public var maxLength: Int
    /// Wrong presentations before the PIN blocks (an issuing station unblocks it).
    public var retryLimit: Int
    /// The PIN's reference: `VERIFY` is sent with P2 = 0x80 | reference.
    public var reference: Int
    /// The holder's unblocking code; nil: the PIN cannot be unblocked (the permit needs a new card).
    public var puk: PUKPolicy?

    public init(minLength: Int, maxLength: Int, retryLimit: Int, reference: Int, puk: PUKPolicy? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.retryLimit = retryLimit
        self.reference = reference
        self.puk = puk
    }
}

/// The holder's PUK: set at personalisation with the PIN and handed to the holder with it; RESET RETRY
/// COUNTER needs it, so no station can unblock or replace the PIN without the holder. It has its own
/// retry counter: when that runs out the PIN can never be unblocked.
public struct PUKPolicy: Sendable, Hashable {
    /// Digits, exactly.
    public var length: Int
    public var retryLimit: Int
    /// CHANGE REFERENCE DATA at personalisation sets it with P2 = 0x80 | reference.
    public var reference: Int

    public init(length: Int, retryLimit: Int, reference: Int) {
        self.length = length
        self.retryLimit = retryLimit
        self.reference = reference
    }
}
