import CardSecurity
import Foundation
import Lifecycle

extension PermitCard {
    /// Suspends the permit: by an officer's order, or (the daemon) for being overdue.
    public func suspend(overdue: Bool = false) async throws(PermitCardError) -> StatusRecord {
        try await changeStatus(overdue ? .suspendedOverdue : .suspendedByOfficer)
    }

    /// Restores a suspended permit (an officer's act).
    public func restore() async throws(PermitCardError) -> StatusRecord {
        try await changeStatus(.restored)
    }

    /// Cancels the permit with its reason; final.
    public func cancel(reason: CancellationReason) async throws(PermitCardError) -> StatusRecord {
        try await changeStatus(.cancelled(reason))
    }

    /// Voids this card because another card replaces it; final for this card.
    public func void(reason: ReplacementReason) async throws(PermitCardError) -> StatusRecord {
        try await changeStatus(.replaced(reason))
    }

    /// One signed APPEND RECORD to EF.STATUS with the next sequence number (CARD-SPEC §10.5, 5 APDUs).
    /// The recorded status decides first whether the change is allowed; a refusal writes nothing.
    public func changeStatus(_ change: StatusChange) async throws(PermitCardError) -> StatusRecord {
        let today = calendar.today
        let operation = "record \"\(change.summary)\""
        try terminal.requireRole(.issuingStation, for: operation)
        let station = try terminal.requireRecordSigner(.issuingStation, for: operation)
        if change == .issued { throw .statusForbids(operation: operation, status: "issued already") }
        return try await withSession { session throws(PermitCardError) in
            let fci = try await session.open(.issuingStation, terminal: terminal, for: operation)
            let serial = fci.serial
            guard fci.isOperational else { throw .cardIncomplete(serial: serial) }
            let state = try await session.readState()
            let status: CardStatus
            do throws(CardDataError) { status = try state.status() } catch { throw .malformedCard(error) }
            // An overdue suspension may have been lifted by a late endorsement (§6 step 6): the card status says so.
            guard let current = status.newest, let recorded = status.recorded else {
                throw .malformedCard(.invalidLayout(session.files.status.name, "no status record on a finalised card"))
            }
            let allowed = switch change.status {
            case .inForce: recorded == .suspended
            case .suspended: recorded == .inForce
            case .cancelled, .replaced: !recorded.isFinal
            }
            guard allowed else { throw .statusForbids(operation: operation, status: recorded.description) }
            let record: StatusRecord
            do throws(CardSecurityError) {
                record = try StatusRecord(
                    sequence: current.sequence + 1, change: change, effective: today, station: terminal.station, serial: serial,
                    signer: station)
            } catch { throw .security(error) }
            let file = session.files.status
            try await session.run(try session.commands.appendRecord(file, record.encoded(length: file.recordLength)))
            return record
        }
    }
}
