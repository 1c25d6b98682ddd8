/// What the class byte and Le say beyond the numbers: how a card reads a command it received.
extension CommandAPDU {
    /// Whether Le was "as much as possible" (00 / 0000) rather than a specific count.
    public var neIsMaximum: Bool { ne == 256 && !isExtended || ne == 65536 }

    /// CLA bit 5 (`0x10`): more commands of this chain follow (interindustry classes only).
    public var isChained: Bool { cla & 0x80 == 0 && cla & 0x10 != 0 }

    /// Whether the class byte is proprietary (b8 set): only an applet can interpret it.
    public var isProprietaryClass: Bool { cla & 0x80 != 0 }

    /// The logical channel named by an interindustry class byte.
    public var logicalChannel: Int {
        cla & 0x40 == 0 ? Int(cla & 0x03) : 4 + Int(cla & 0x0F)
    }

    /// Whether an interindustry class byte indicates secure messaging.
    public var indicatesSecureMessaging: Bool {
        cla & 0x40 == 0 ? cla & 0x0C != 0 : cla & 0x20 != 0
    }
}
