import ApplicationData
import CardSecurity
import Foundation

extension PermitCard {
    static let addressOperation = "change the residence address"

    /// Writes the new address, signed by this issuing station, into the slot not holding the current
    /// one with the next sequence number (CARD-SPEC §10.4, 6 APDUs): one atomic UPDATE RECORD, so a
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
            let fci = try await session.open(.issuingStation, terminal: terminal, for: Self.addressOperation)
            let serial = fci.serial
            guard fci.isOperational else { throw .cardIncomplete(serial: serial) }
            let state = try await session.readState()
            let status: CardStatus
            do throws(CardDataError) { status = try state.status() } catch { throw .malformedCard(error) }
            if let recorded = status.recorded, recorded.isFinal {
                throw .statusForbids(operation: Self.addressOperation, status: status.summary)
            }
            let file = session.files.residence
            let records = try await session.readRecords(file)
            let current: (slot: Int, record: ResidenceRecord)?
            do throws(CardDataError) {
                current = try CardReading(serial: serial, atr: [], fci: fci, state: state, residenceRecords: records).currentResidence()
            } catch { throw .malformedCard(error) }
            guard let current else { throw .malformedCard(.invalidLayout(file.name, "no current residence record")) }
            let target = current.slot == 1 ? 2 : 1
            let record: ResidenceRecord
            do throws(CardSecurityError) {
                record = try ResidenceRecord(
                    sequence: current.record.sequence + 1, statusSequence: status.sequence, writtenOn: today, address: address,
                    serial: serial, station: terminal.station, signer: station)
            } catch { throw .security(error) }
            try await session.run(try session.commands.updateRecord(file, record: target, record.encoded(length: file.recordLength)))
            return record
        }
    }
}
