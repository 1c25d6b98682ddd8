import CardEmulator

/// What the application keeps in the card's non-volatile memory outside its files (`CardState.appletData`,
/// saved with the files in one atomic write): the life-cycle status, the role keys, the chip's private
/// key, the holder PIN and PUK and their retry counters. None of it can be read out by any command.
extension CardState {
    private enum Slot {
        static let lifeCycle = "lcs"
        static let chipKey = "chip-key"
        static let pin = "pin"
        static let pinTries = "pin.tries"
        static let puk = "puk"
        static let pukTries = "puk.tries"
        static func roleKey(_ number: Int) -> String { "key.\(number)" }
    }

    /// The application's life-cycle status (absent only on a state that is not a permit card's).
    var lifeCycle: LifeCycleStatus? {
        get { appletData[Slot.lifeCycle]?.first.flatMap(LifeCycleStatus.init(rawValue:)) }
        set { appletData[Slot.lifeCycle] = newValue.map { [$0.rawValue] } }
    }

    /// A loaded role key: its version (PUT KEY P1) and its 16 bytes.
    func roleKey(number: Int) -> (version: UInt8, bytes: [UInt8])? {
        guard let stored = appletData[Slot.roleKey(number)], stored.count > 1 else { return nil }
        return (stored[0], Array(stored.dropFirst()))
    }

    mutating func setRoleKey(number: Int, version: UInt8, bytes: [UInt8]) {
        appletData[Slot.roleKey(number)] = [version] + bytes
    }

    /// The chip's private key-agreement key (the raw 32-byte scalar), generated at card initialisation.
    var chipPrivateKey: [UInt8]? {
        get { appletData[Slot.chipKey] }
        set { appletData[Slot.chipKey] = newValue }
    }

    /// The holder PIN as ASCII digits, once set.
    var holderPIN: [UInt8]? {
        get { appletData[Slot.pin] }
        set { appletData[Slot.pin] = newValue }
    }

    /// Presentations left before the PIN blocks (0: blocked).
    var pinTriesLeft: Int? {
        get { appletData[Slot.pinTries]?.first.map(Int.init) }
        set { appletData[Slot.pinTries] = newValue.map { [UInt8(clamping: $0)] } }
    }

    /// The holder's PUK as ASCII digits, once set.
    var holderPUK: [UInt8]? {
        get { appletData[Slot.puk] }
        set { appletData[Slot.puk] = newValue }
    }

    /// Presentations of the PUK left (0: the PIN can never be unblocked).
    var pukTriesLeft: Int? {
        get { appletData[Slot.pukTries]?.first.map(Int.init) }
        set { appletData[Slot.pukTries] = newValue.map { [UInt8(clamping: $0)] } }
    }
}
