/// A reader as pcscd last reported it.
public struct ReaderStatus: Hashable, Sendable {
    /// SCARD_STATE_* flags, the ones a station cares about.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt
        public init(rawValue: UInt) { self.rawValue = rawValue }

        public static let unavailable = Flags(rawValue: 0x0008)
        public static let empty = Flags(rawValue: 0x0010)
        public static let present = Flags(rawValue: 0x0020)
        public static let exclusive = Flags(rawValue: 0x0080)
        public static let inUse = Flags(rawValue: 0x0100)
        public static let mute = Flags(rawValue: 0x0200)
        public static let unpowered = Flags(rawValue: 0x0400)

        /// Names for output, in a fixed order.
        public var names: [String] {
            [(Flags.present, "present"), (.empty, "empty"), (.exclusive, "exclusive"), (.inUse, "in use"),
             (.mute, "mute"), (.unpowered, "unpowered"), (.unavailable, "unavailable")]
                .filter { contains($0.0) }.map(\.1)
        }
    }

    public var name: String
    public var flags: Flags
    /// The card's answer-to-reset; empty when no card is present.
    public var atr: [UInt8]
    /// pcscd's count of card insertions and removals in this reader (upper 16 bits of
    /// dwEventState): a count that moved by two or more while a card stayed present means
    /// the card was swapped between two looks.
    public var eventCount: Int

    public init(name: String, flags: Flags, atr: [UInt8], eventCount: Int) {
        self.name = name
        self.flags = flags
        self.atr = atr
        self.eventCount = eventCount
    }

    public var hasCard: Bool { flags.contains(.present) }

    /// From a dwEventState word and the ATR bytes pcscd filled in.
    init(name: String, eventState: UInt, atr: [UInt8]) {
        let flags = Flags(rawValue: eventState & 0xFFFF)
        self.init(name: name, flags: flags, atr: flags.contains(.present) ? atr : [], eventCount: Int((eventState >> 16) & 0xFFFF))
    }
}
