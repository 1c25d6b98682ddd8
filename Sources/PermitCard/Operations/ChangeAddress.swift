import ApplicationData
import CardSecurity
import Foundation

extension PermitCard {
    static let addressOperation = "change the residence address"

    /// Writes the new address, signed by this issuing station, into the slot not holding the current
    /// one with the next sequence number (CARD-SPEC §10.4, 5 APDUs): one atomic UPDATE RECORD, so a
    /// pulled card shows the old address or the new one.
    public func changeAddress(to address: ResidenceAddress) async throws(PermitCardError) -> ResidenceRecord {
        let today = calendar.today
        try terminal.requireRole(.issuingStation, for: Self.addressOperation)
        let station = try terminal.requireRecordSigner(.issuingStation, for: Self.addressOperation)
        do throws(FieldProblem) {
            try address.check()
            guard address.since <= today else {
                throw FieldProblem("address.since", "\(address.since) is after today (\(today)); give the day the holder registered at the new address.")
            }
        } catch { throw .invalidApplication(error) }
        return try await withSession { session throws(PermitCardError) in
            let fci = try await session.select()
            let serial = try Self.serial(of: fci)
            guard fci.isOperational else { throw .cardIncomplete(serial: serial) }
            if let status = try? fci.newestStatus.map(StatusRecord.decode), status.change.status.isFinal {
                throw .statusForbids(operation: Self.addressOperation, status: status.change.summary)
            }
            // The residence file needs a key to read in the shipped profiles, so authenticate first.
            try await session.authenticate(.issuingStation, terminal: terminal, serial: serial, for: Self.addressOperation)
            let file = session.files.residence
            let records = try await session.readRecords(file)
            let reading = CardReading(
                serial: serial, atr: [], fci: fci, holderFile: [], residenceRecords: records, endorsementRecords: [],
                securityObjectFile: [], chipChallenge: nil, chipResponse: nil)
            let current: (slot: Int, record: ResidenceRecord)?
            do throws(CardDataError) { current = try reading.currentResidence() } catch { throw .malformedCard(error) }
            guard let current else { throw .malformedCard(.invalidLayout(file.name, "no current residence record")) }
            let target = current.slot == 1 ? 2 : 1
            let record: ResidenceRecord
            do throws(CardSecurityError) {
                record = try ResidenceRecord(
                    sequence: current.record.sequence + 1, writtenOn: today, address: address, serial: serial,
                    station: terminal.station, signer: station)
            } catch { throw .security(error) }
            try await session.run(try session.commands.updateRecord(file, record: target, record.encoded(length: file.recordLength)))
            return record
        }
    }
}
