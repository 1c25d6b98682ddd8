import CardEmulator
import CardSecurity

/// What a test, a demo or the emulator's log may know about a card's state without a terminal: the
/// public facts (serial, life cycle, PIN tries), never keys or the PIN.
extension PermitApplet {
    /// The serial in EF.CARD of the card in `state`; nil when it holds no card of this application.
    public func serial(of state: CardState) -> CardSerial? {
        guard state.lifeCycle != nil else { return nil }
        return try? layout.serial(in: state)
    }

    /// The application's life-cycle status in `state`; nil when it holds no card of this application.
    public func lifeCycle(of state: CardState) -> LifeCycleStatus? {
        guard state.fileSystem[layout.applicationPath]?.dedicatedFileName == profile.card.aid else { return nil }
        return state.lifeCycle
    }

    /// Holder-PIN presentations left before blocking (0: blocked); nil when no PIN is set.
    public func pinTriesLeft(of state: CardState) -> Int? {
        state.holderPIN == nil ? nil : state.pinTriesLeft
    }
}
