import CardSecurity

extension PermitCard {
    /// Checks the holder's PIN at a kiosk (VERIFY under secure messaging after the endorsing key).
    /// A wrong PIN costs one try (`wrongPIN(triesLeft:)`), the last one blocks it (`pinBlocked`).
    public func verifyPIN(_ pin: String) async throws(PermitCardError) {
        try validatePIN(pin)
        let role: KeyRole = terminal.roles.contains(.endorsingStation) ? .endorsingStation : .issuingStation
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.select()
            let serial = try Self.serial(of: fci)
            guard fci.isOperational else { throw .cardIncomplete(serial: serial) }
            if fci.pinTriesLeft == 0 { throw .pinBlocked }
            try await session.authenticate(role, terminal: terminal, serial: serial, for: "verify the holder PIN")
            try await session.verifyPIN(pin)
        }
    }

    /// The PIN tries left as the FCI shows them (nil: no PIN set).
    public func pinTriesLeft() async throws(PermitCardError) -> Int? {
        try await withSession { session throws(PermitCardError) in try await session.select().pinTriesLeft }
    }

    /// Unblocks the holder PIN (issuing station, CARD-SPEC §10.7): resets the counter, and sets a new
    /// PIN when one is given.
    public func unblockPIN(newPIN: String? = nil) async throws(PermitCardError) {
        let operation = "unblock the holder PIN"
        try terminal.requireRole(.issuingStation, for: operation)
        if let newPIN { try validatePIN(newPIN) }
        guard profile.pin != nil else { throw .invalidInput(.invalidField("PIN", "profile \(profile.name) has no holder PIN")) }
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.select()
            let serial = try Self.serial(of: fci)
            try await session.authenticate(.issuingStation, terminal: terminal, serial: serial, for: operation)
            try await session.run(try session.commands.resetRetryCounter(newPIN: newPIN))
        }
    }
}
