import CardSecurity
import Foundation
import Lifecycle

extension PermitCard {
    static let replaceOperation = "replace the permit card"

    /// The issuance request for a new card of the permit read from `old`: same holder, current address,
    /// the permit's issue date and today's residence period and expiry, and the old card's serial (CARD-SPEC §10.6).
    public func replacementRequest(from old: CardReading, pin: String? = nil) throws(PermitCardError) -> IssueRequest {
        do {
            let status = try old.status()
            if let recorded = status.recorded, recorded.isFinal {
                throw PermitCardError.statusForbids(operation: Self.replaceOperation, status: status.summary)
            }
            let permit = try old.permitState(policy: profile.policy)
            guard let residence = try old.currentResidence()?.record else {
                throw CardDataError.invalidLayout("EF.RESIDENCE", "no current residence record")
            }
            return IssueRequest(
                holder: try old.holder(),
                address: ResidenceAddress(district: residence.district, text: residence.address, since: residence.registeredSince),
                issued: permit.issued, pin: pin,
                replacement: .init(replaces: old.serial, anchor: permit.residenceSince, expiry: permit.expiry(profile.policy)))
        } catch let error as PermitCardError {
            throw error
        } catch let error as CardDataError {
            throw .malformedCard(error)
        } catch {
            throw .communication("\(error)")
        }
    }

    /// Replaces the card in `old`'s reader with this (blank or interrupted) card: reads the old card,
    /// issues this one for the same permit, then voids the old one (status `04`). The new card is
    /// complete before the old one is voided, so an interruption never leaves the holder without a card;
    /// an old card that was not voided goes on the status list.
    public func replace(
        from old: PermitCard, reason: ReplacementReason, pin: String? = nil
    ) async throws(PermitCardError) -> (issued: IssueResult, voided: StatusRecord) {
        try terminal.requireRole(.issuingStation, for: Self.replaceOperation)
        let reading = try await old.read()
        guard reading.isComplete else { throw .cardIncomplete(serial: reading.serial) }
        let request = try replacementRequest(from: reading, pin: pin)
        let issued = try await issue(request)
        let voided = try await old.void(reason: reason)
        return (issued, voided)
    }
}
