/// One virtual reader of the sandbox, leased to one user at a time: a card (emulator)
/// connects to `port` on the loopback, and PC/SC clients see it as `readerName`.
public struct SandboxSlot: Hashable, Sendable {
    public let readerName: String
    public let port: Int

    /// HOST:PORT for `permit-card --vpcd` and the emulator.
    public var vpcdAddress: String { "127.0.0.1:\(port)" }
}
