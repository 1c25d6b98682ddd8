import CardEmulator
import CardProfiles

/// VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER for the holder PIN and PUK (CARD-SPEC §7.9, §7.13,
/// §7.14). The holder's rights stay the holder's: VERIFY only inside a session of the role that takes a
/// holder's PIN (`commands.verifyPin`), a new PIN only with the old one or the PUK, an unblock only with the
/// PUK, which has its own counter. A wrong PIN or PUK decrements its counter in the same atomic write that
/// answers `63Cx`, so pulling the card cannot save a try; at 0 it is blocked (`6983`).
extension CommandContext {
    mutating func verify(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x00 else { throw .incorrectP1P2 }
        try require(.verifyPin)
        let policy = try pinPolicy(reference: command.p2)
        guard state.holderPIN != nil, let tries = state.pinTriesLeft else { throw .referencedDataNotFound }
        guard tries > 0 else { throw .authenticationMethodBlocked }
        if command.data.isEmpty {
            if session.security.granted.contains(Grant.pin) { return ResponseAPDU() }
            return ResponseAPDU(statusWord: .verificationFailed(triesLeft: tries))
        }
        try Self.checkFormat(command.data, policy: policy)
        return try presentPIN(command.data, policy: policy) { context in context.session.security.granted.insert(Grant.pin) }
    }

    /// P1 = `01` (personalisation, `commands.setPin`): sets the PIN (P2 its reference) or the PUK (P2 the
    /// PUK's reference), data the new value. P1 = `00` (`commands.changePin`): the holder replaces the PIN,
    /// data = the old PIN padded with `FF` to the policy's `maxLength` || the new PIN.
    mutating func changeReferenceData(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        switch command.p1 {
        case 0x01:
            try require(.setPin)
            if let puk = layout.profile.pin?.puk, command.p2 == 0x80 | UInt8(puk.reference) {
                guard command.data.count == puk.length, Self.isDigits(command.data) else { throw .incorrectData }
                state.holderPUK = command.data
                state.pukTriesLeft = puk.retryLimit
                return ResponseAPDU()
            }
            let policy = try pinPolicy(reference: command.p2)
            try Self.checkFormat(command.data, policy: policy)
            setPIN(command.data, policy: policy)
            return ResponseAPDU()
        case 0x00:
            try require(.changePin)
            let policy = try pinPolicy(reference: command.p2)
            guard command.data.count > policy.maxLength else { throw .wrongLength }
            let old = Array(command.data.prefix(policy.maxLength).prefix { $0 != 0xFF })
            let new = Array(command.data.dropFirst(policy.maxLength))
            guard command.data.prefix(policy.maxLength).dropFirst(old.count).allSatisfy({ $0 == 0xFF }) else { throw .incorrectData }
            try Self.checkFormat(old, policy: policy)
            try Self.checkFormat(new, policy: policy)
            guard state.holderPIN != nil, let tries = state.pinTriesLeft else { throw .referencedDataNotFound }
            guard tries > 0 else { throw .authenticationMethodBlocked }
            return try presentPIN(old, policy: policy) { context in context.setPIN(new, policy: policy) }
        default:
            throw .incorrectP1P2
        }
    }

    /// P1 = `00`: data = the PUK || a new PIN; P1 = `01`: data = the PUK (the counter only). Without the
    /// holder's PUK nothing unblocks the PIN: P1 `02` and `03` of ISO/IEC 7816-4 are refused (`6A86`).
    mutating func resetRetryCounter(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x00 || command.p1 == 0x01 else { throw .incorrectP1P2 }
        try require(.unblockPin)
        let policy = try pinPolicy(reference: command.p2)
        guard let pukPolicy = policy.puk, let stored = state.holderPUK, let tries = state.pukTriesLeft,
              let pin = state.holderPIN
        else { throw .referencedDataNotFound }
        guard tries > 0 else { throw .authenticationMethodBlocked }
        guard command.data.count >= pukPolicy.length else { throw .wrongLength }
        let presented = Array(command.data.prefix(pukPolicy.length))
        let new = Array(command.data.dropFirst(pukPolicy.length))
        if command.p1 == 0x01 { guard new.isEmpty else { throw .wrongLength } } else { try Self.checkFormat(new, policy: policy) }
        guard Self.constantTimeEqual(presented, stored) else {
            state.pukTriesLeft = tries - 1
            return ResponseAPDU(statusWord: .verificationFailed(triesLeft: tries - 1))
        }
        state.pukTriesLeft = pukPolicy.retryLimit
        setPIN(command.p1 == 0x00 ? new : pin, policy: policy)
        return ResponseAPDU()
    }

    /// Checks a presented PIN against the stored one: a match restores the counter and runs `success`, a
    /// mismatch spends a try and drops the `pin` credential.
    private mutating func presentPIN(
        _ presented: [UInt8], policy: PINPolicy, success: (inout CommandContext) -> Void
    ) throws(StatusWord) -> ResponseAPDU {
        guard let stored = state.holderPIN, let tries = state.pinTriesLeft else { throw .referencedDataNotFound }
        if Self.constantTimeEqual(presented, stored) {
            state.pinTriesLeft = policy.retryLimit
            success(&self)
            return ResponseAPDU()
        }
        state.pinTriesLeft = tries - 1
        session.security.granted.remove(Grant.pin)
        return ResponseAPDU(statusWord: .verificationFailed(triesLeft: tries - 1))
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
        guard (policy.minLength...policy.maxLength).contains(pin.count), isDigits(pin) else { throw .incorrectData }
    }

    private static func isDigits(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { (0x30...0x39).contains($0) } }

    private static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
