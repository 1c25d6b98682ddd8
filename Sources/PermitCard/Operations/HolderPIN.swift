import CardSecurity

extension PermitCard {
    /// Checks the holder's PIN at a kiosk (VERIFY inside a session of the endorsing key, CARD-SPEC §10.7).
    /// A wrong PIN costs one try (`wrongPIN(triesLeft:)`), the last one blocks it (`pinBlocked`).
    public func verifyPIN(_ pin: String) async throws(PermitCardError) {
        try validatePIN(pin)
        let role: KeyRole = terminal.roles.contains(.endorsingStation) ? .endorsingStation : .issuingStation
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

    /// Unblocks the holder PIN (issuing station, CARD-SPEC §10.7): resets the counter, and sets a new
    /// PIN when one is given.
    public func unblockPIN(newPIN: String? = nil) async throws(PermitCardError) {
        let operation = "unblock the holder PIN"
        try terminal.requireRole(.issuingStation, for: operation)
        if let newPIN { try validatePIN(newPIN) }
        guard profile.pin != nil else { throw .invalidInput(.invalidField("PIN", "profile \(profile.name) has no holder PIN")) }
        try await withSession { session throws(PermitCardError) in
            _ = try await session.open(.issuingStation, terminal: terminal, for: operation)
            try await session.run(try session.commands.resetRetryCounter(newPIN: newPIN))
        }
    }
}
