import CardProfiles
import CardSecurity
import Foundation

extension PermitCard {
    /// Reads everything (CARD-SPEC §10.2, 8 APDUs) inside a chip-authenticated session with a reading
    /// role: FCI, permit state, holder, both residence slots, every endorsement and the security object.
    /// An incomplete card gives its FCI only; a chip that fails chip or role authentication gives its FCI
    /// and the reason, and nothing else can be read from it.
    public func read() async throws(PermitCardError) -> CardReading {
        try await withSession { session throws(PermitCardError) in try await readAll(&session) }
    }

    /// Reads and verifies offline by the station's calendar: one verdict per check (§10.2).
    public func verify() async throws(PermitCardError) -> (reading: CardReading, report: VerificationReport) {
        let reading = try await read()
        var verifier = Verifier(profile: profile, terminal: terminal, calendar: calendar)
        await verifier.loadRevocations()
        return (reading, await verifier.verify(reading))
    }

    /// The role a terminal reads with: the reading key, else whichever station key it holds.
    func readingRole(for operation: String) throws(PermitCardError) -> KeyRole {
        guard let role = [KeyRole.readingTerminal, .issuingStation, .endorsingStation].first(where: terminal.roles.contains) else {
            throw .roleNotHeld(operation: operation, missing: "a reading, issuing or endorsing master key")
        }
        return role
    }

    func readAll(_ session: inout ApplicationSession) async throws(PermitCardError) -> CardReading {
        let atr: [UInt8]
        do { atr = try await connection.atr } catch { throw ApplicationSession.communication(error) }
        let role = try readingRole(for: "read the card")
        let fci = try await session.select()
        guard fci.isOperational else { return CardReading(serial: fci.serial, atr: atr, fci: fci, state: nil) }
        let chip: ChipSession
        do {
            chip = try await session.authenticateChip()
            try await session.authenticate(role, terminal: terminal, fci: fci, for: "read the card")
        } catch {
            guard case .copiedCard(let reason) = error else { throw error }
            return CardReading(serial: fci.serial, atr: atr, fci: fci, state: nil, chipFailure: reason)
        }
        let files = session.files
        let state = try await session.readState()
        let holder = try await session.readBinary(files.holder)
        let residence = try await session.readRecords(files.residence)
        let endorsements = try await session.readRecords(files.endorsements)
        let sod = try await session.readBinary(files.securityObject)
        return CardReading(
            serial: fci.serial, atr: atr, fci: fci, state: state, holderFile: holder, residenceRecords: residence,
            endorsementRecords: endorsements, securityObjectFile: sod, chipKeyFile: chip.chipKeyFile)
    }
}
