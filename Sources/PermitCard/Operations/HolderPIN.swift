import CardSecurity

extension PermitCard {
    /// The role that endorses and takes a holder's PIN (the profiles' `verifyPin`): the endorsing key (an
    /// officer's desk or a kiosk), the issuing key where a terminal holds no other.
    var endorsingRole: KeyRole { terminal.roles.contains(.endorsingStation) ? .endorsingStation : .issuingStation }

    /// Checks the holder's PIN at a kiosk (VERIFY inside a session of the endorsing key, CARD-SPEC §10.7).
    /// A wrong PIN costs one try (`wrongPIN(triesLeft:)`), the last one blocks it (`pinBlocked`).
    public func verifyPIN(_ pin: String) async throws(PermitCardError) {
        try validatePIN(pin)
        let role = endorsingRole
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.open(role, terminal: terminal, for: "verify the holder PIN")
            guard fci.isOperational else { throw .cardIncomplete(serial: fci.serial) }
            try await session.verifyPIN(pin)
        }
    }

    /// The PIN tries left as the card's permit state shows them (nil: no PIN set).
    public func pinTriesLeft() async throws(PermitCardError) -> Int? {
        try await status().pinTriesLeft
    }

    /// The holder replaces the PIN with the old one (CARD-SPEC §10.7): a wrong old PIN costs a try.
    public func changePIN(old: String, new: String) async throws(PermitCardError) {
        try validatePIN(old)
        try validatePIN(new)
        let role = endorsingRole
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.open(role, terminal: terminal, for: "change the holder PIN")
            guard fci.isOperational else { throw .cardIncomplete(serial: fci.serial) }
            try await session.run(try session.commands.changePIN(old: old, new: new))
        }
    }

    /// Unblocks the holder PIN with the holder's PUK (CARD-SPEC §10.7), at a desk or a kiosk: resets the
    /// counter, and sets a new PIN when one is given. A wrong PUK costs one of its own tries
    /// (`wrongPUK(triesLeft:)`); when they are spent the PIN can never be unblocked (`pukBlocked`).
    public func unblockPIN(puk: String, newPIN: String? = nil) async throws(PermitCardError) {
        let operation = "unblock the holder PIN"
        guard let policy = profile.pin?.puk else {
            throw .invalidInput(.invalidField("PUK", "profile \(profile.name) has no PUK: its PINs cannot be unblocked"))
        }
        guard puk.count == policy.length, puk.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidInput(.invalidField("PUK", "must be \(policy.length) digits"))
        }
        if let newPIN { try validatePIN(newPIN) }
        let role = endorsingRole
        try await withSession { session throws(PermitCardError) in
            _ = try await session.open(role, terminal: terminal, for: operation)
            do throws(PermitCardError) {
                try await session.run(try session.commands.resetRetryCounter(puk: puk, newPIN: newPIN))
            } catch {
                switch error {
                case .wrongPIN(let tries): throw .wrongPUK(triesLeft: tries)
                case .pinBlocked: throw .pukBlocked
                default: throw error
                }
            }
        }
    }
}
