import CardEmulator
import CardProfiles

/// VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER for the holder PIN (CARD-SPEC §7.9, §7.13, §7.14).
/// A wrong PIN decrements the counter in the same atomic write that answers `63Cx`, so pulling the card
/// cannot save a try; at 0 the PIN is blocked (`6983`) until an issuing station resets it.
extension CommandContext {
    mutating func verify(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x00 else { throw .incorrectP1P2 }
        let policy = try pinPolicy(reference: command.p2)
        guard let stored = state.holderPIN, let tries = state.pinTriesLeft else { throw .referencedDataNotFound }
        guard tries > 0 else { throw .authenticationMethodBlocked }
        if command.data.isEmpty {
            if session.security.granted.contains(Grant.pin) { return ResponseAPDU() }
            return ResponseAPDU(statusWord: .verificationFailed(triesLeft: tries))
        }
        try Self.checkFormat(command.data, policy: policy)
        if Self.constantTimeEqual(command.data, stored) {
            state.pinTriesLeft = policy.retryLimit
            session.security.granted.insert(Grant.pin)
            return ResponseAPDU()
        }
        state.pinTriesLeft = tries - 1
        session.security.granted.remove(Grant.pin)
        return ResponseAPDU(statusWord: .verificationFailed(triesLeft: tries - 1))
    }

    mutating func changeReferenceData(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x01 else { throw .incorrectP1P2 }
        try require(.setPin)
        let policy = try pinPolicy(reference: command.p2)
        try Self.checkFormat(command.data, policy: policy)
        setPIN(command.data, policy: policy)
        return ResponseAPDU()
    }

    mutating func resetRetryCounter(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x02 || command.p1 == 0x03 else { throw .incorrectP1P2 }
        try require(.unblockPin)
        let policy = try pinPolicy(reference: command.p2)
        if command.p1 == 0x03 {
            guard command.data.isEmpty else { throw .wrongLength }
            guard let stored = state.holderPIN else { throw .referencedDataNotFound }
            setPIN(stored, policy: policy)
        } else {
            guard !command.data.isEmpty else { throw .wrongLength }
            try Self.checkFormat(command.data, policy: policy)
            setPIN(command.data, policy: policy)
        }
        return ResponseAPDU()
    }

    /// Stores the PIN with a full retry counter; a `pin` credential of the old PIN does not carry over.
    private mutating func setPIN(_ pin: [UInt8], policy: PINPolicy) {
        state.holderPIN = pin
        state.pinTriesLeft = policy.retryLimit
        session.security.granted.remove(Grant.pin)
    }

    /// The profile's PIN policy when P2 names its PIN (`80 | reference`); `6A88` otherwise.
    private func pinPolicy(reference p2: UInt8) throws(StatusWord) -> PINPolicy {
        guard let policy = layout.profile.pin, p2 == 0x80 | UInt8(policy.reference) else { throw .referencedDataNotFound }
        return policy
    }

    /// ASCII digits, `minLength...maxLength` of them; `6A80` otherwise.
    private static func checkFormat(_ pin: [UInt8], policy: PINPolicy) throws(StatusWord) {
        guard (policy.minLength...policy.maxLength).contains(pin.count),
              pin.allSatisfy({ (0x30...0x39).contains($0) })
        else { throw .incorrectData }
    }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
