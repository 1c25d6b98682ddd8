import CardProfiles
import CardSecurity
import Foundation

extension PermitCard {
    /// Reads everything (CARD-SPEC §10.2, 8 APDUs): FCI, holder, both residence slots, every
    /// endorsement, the security object, and the chip's answer to a fresh challenge. An incomplete card
    /// gives its FCI only: it has no reading key yet and is not a permit card.
    public func read() async throws(PermitCardError) -> CardReading {
        try await withSession { session throws(PermitCardError) in try await readAll(&session) }
    }

    /// Reads and verifies offline as of now on the station calendar: one verdict per check (§10.2).
    public func verify() async throws(PermitCardError) -> (reading: CardReading, report: VerificationReport) {
        let reading = try await read()
        let verifier = Verifier(profile: profile, trust: terminal.trust, statusList: terminal.statusList, calendar: calendar)
        return (reading, await verifier.verify(reading))
    }

    func readAll(_ session: inout ApplicationSession) async throws(PermitCardError) -> CardReading {
        let atr: [UInt8]
        do { atr = try await connection.atr } catch { throw ApplicationSession.communication(error) }
        let fci = try await session.select()
        let serial = try Self.serial(of: fci)
        guard fci.isOperational else {
            return CardReading(serial: serial, atr: atr, fci: fci, holderFile: [], residenceRecords: [], endorsementRecords: [],
                               securityObjectFile: [], chipChallenge: nil, chipResponse: nil)
        }
        let files = session.files
        let protectedRead = [files.holder.spec, files.residence.spec].contains { !($0.access[.read]?.operational.isSatisfied(by: []) ?? false) }
        if protectedRead {
            guard let role = [KeyRole.readingTerminal, .issuingStation, .endorsingStation].first(where: terminal.roles.contains) else {
                throw .roleNotHeld(operation: "read the holder's data", missing: "a reading, issuing or endorsing master key")
            }
            try await session.authenticate(role, terminal: terminal, serial: serial, for: "read the card")
        }
        let holder = try await session.readBinary(files.holder)
        let residence = try await session.readRecords(files.residence)
        let endorsements = try await session.readRecords(files.endorsements)
        let sod = try await session.readBinary(files.securityObject)
        let challenge = ChipAuthentication.randomChallenge()
        // A chip that refuses to sign fails chip authentication: a verdict, not an aborted read.
        let response: [UInt8]?
        do { response = try await session.internalAuthenticate(challenge) } catch {
            guard case .cardRefused = error else { throw error }
            response = nil
        }
        return CardReading(serial: serial, atr: atr, fci: fci, holderFile: holder, residenceRecords: residence, endorsementRecords: endorsements,
                           securityObjectFile: sod, chipChallenge: challenge, chipResponse: response)
    }
}
