import Registry

/// The registry behind an actor: the station's acts, the reconciliation of presented cards and the intent
/// journal reach it one call at a time, in the order they ask. The registry in hand is read on every call,
/// so a reload (SIGHUP) takes effect from the next one.
public actor RegistryStore {
    private let current: @Sendable () -> Registry

    public init(_ current: @escaping @Sendable () -> Registry) {
        self.current = current
    }

    /// Runs `body` with the registry.
    public func run<T: Sendable>(_ body: @Sendable (Registry) throws(RegistryError) -> T) throws(RegistryError) -> T {
        try body(current())
    }
}
