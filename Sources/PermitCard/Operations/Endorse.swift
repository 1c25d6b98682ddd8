import CardProfiles
import CardSecurity
import Foundation
import Lifecycle

/// How an endorsement's class and new dates are decided.
public enum EndorsementDecision: Sendable, Hashable {
    /// Classify with the region's rules (module Lifecycle) from the card's own dates.
    case byRules
    /// The caller (e.g. the registry) has classified it: the class and the anchor and expiry it leaves.
    case given(EndorsementClass, anchor: CalendarDate, expiry: CalendarDate)
}

extension PermitCard {
    static let endorseOperation = "endorse the permit"

    /// Endorses (CARD-SPEC §10.3, 5 APDUs; 6 with the holder PIN): one atomic APPEND RECORD, signed by
    /// this station only after the chip and the card have proved themselves. A late endorsement of a permit suspended for being overdue restores it by this
    /// record alone. Refusals (window not open, cancelled, void, file full, PIN missing) write nothing.
    public func endorse(
        decision: EndorsementDecision = .byRules, pin: String? = nil
    ) async throws(PermitCardError) -> EndorsementRecord {
        let today = calendar.today
        let role = endorsingRole
        try terminal.requireRole(role, for: Self.endorseOperation)
        let station = try terminal.requireRecordSigner(.endorsingStation, for: Self.endorseOperation)
        let needsPIN = Self.endorsementNeedsPIN(by: role, profile: profile)
        if needsPIN && pin == nil { throw .pinRequired(operation: Self.endorseOperation) }
        if let pin { try validatePIN(pin) }

        return try await withSession { session throws(PermitCardError) in
            // The chip proves itself and the card its key first; only then is the state read and a record signed.
            let fci = try await session.open(role, terminal: terminal, for: Self.endorseOperation)
            let serial = fci.serial
            guard fci.isOperational else { throw .cardIncomplete(serial: serial) }
            let state = try await session.readState()
            let (endorsementClass, anchor, expiry, status) = try decide(decision, state: state, today: today)
            let file = session.files.endorsements
            guard state.endorsementCount < file.recordCount else { throw .endorsementFileFull(records: state.endorsementCount) }
            if let pin, needsPIN || state.pinTriesLeft != nil {
                if state.pinTriesLeft == 0 { throw .pinBlocked }
                try await session.verifyPIN(pin)
            }
            let record: EndorsementRecord
            do throws(CardSecurityError) {
                record = try EndorsementRecord(
                    number: state.endorsementCount + 1, endorsementClass: endorsementClass, statusSequence: status.sequence,
                    endorsedOn: today, anchor: anchor, expiry: expiry, station: terminal.station, serial: serial, signer: station)
            } catch { throw .security(error) }
            try await session.run(try session.commands.appendRecord(file, record.encoded(length: file.recordLength)))
            return record
        }
    }

    /// The class, anchor and expiry of an endorsement today and the card's status it is written under, or the refusal.
    func decide(
        _ decision: EndorsementDecision, state: PermitStateData, today: CalendarDate
    ) throws(PermitCardError) -> (EndorsementClass, CalendarDate, CalendarDate, CardStatus) {
        let status: CardStatus
        do throws(CardDataError) { status = try state.status() } catch { throw .malformedCard(error) }
        // In force, or suspended for being overdue: a late endorsement is what lifts that (§6 step 6).
        guard status.recorded == .inForce || status.newest?.change == .suspendedOverdue else {
            throw .statusForbids(operation: Self.endorseOperation, status: status.summary)
        }
        switch decision {
        case .given(let endorsementClass, let anchor, let expiry):
            return (endorsementClass, anchor, expiry, status)
        case .byRules:
            let policy = profile.policy
            var permit: PermitState
            do throws(CardDataError) { permit = try state.permitState(policy: policy) } catch { throw .malformedCard(error) }
            let endorsementClass: EndorsementClass
            do { endorsementClass = try permit.endorse(on: today, policy: policy) } catch {
                if case .endorsementRefused(_, let refusal) = error { throw .endorsementRefused(refusal, on: today) }
                throw .statusForbids(operation: Self.endorseOperation, status: "\(error)")
            }
            return (endorsementClass, permit.residenceSince, permit.expiry(policy), status)
        }
    }

    /// Whether the profile's rule for appending an endorsement needs the holder PIN on top of `role`'s key
    /// (Inner Mongolia): a kiosk asks for the PIN only then.
    public static func endorsementNeedsPIN(by role: KeyRole, profile: CardProfile) -> Bool {
        guard let file = profile.files.first(where: { $0.content == .endorsements }), let rule = file.access[.append]?.operational,
              let key = profile.key(for: role)
        else { return false }
        return !rule.isSatisfied(by: [.key(key.name)]) && rule.isSatisfied(by: [.key(key.name), .pin])
    }
}
