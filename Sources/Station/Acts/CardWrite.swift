import CardSecurity
import Foundation
import PermitCard
import Registry

/// One write the station makes to a card, with what it takes to make it again and to record it: the act
/// and parameters the intent journal keeps (as JSON). A holder PIN is never kept: a write that needed one
/// is not made again without the holder.
enum CardWrite: Codable, Sendable {
    /// Personalises and finalises a card for an accepted application.
    case issue(application: Int64, request: IssueRequest, pinGiven: Bool)
    /// Personalises a new card for a permit whose card is lost or damaged (the old one is voided afterwards).
    case replacement(permit: Int64, request: IssueRequest, cause: ReplacementReason, pinGiven: Bool)
    case endorse(permit: Int64, pinGiven: Bool)
    case changeAddress(permit: Int64, address: ResidenceAddress)
    /// A status record: an officer's cancellation, or a status the registry holds (suspension, restoration,
    /// a cancellation recorded earlier, this card replaced) written to the card.
    case status(permit: Int64, StatusWrite)

    /// The act's name in the journal, the audit log, the events and the metrics.
    var act: String {
        switch self {
        case .issue: "issue"
        case .replacement: "replace"
        case .endorse: "endorse"
        case .changeAddress: "changeAddress"
        case .status(_, let write): write.act
        }
    }

    var permit: Int64? {
        switch self {
        case .issue: nil
        case .replacement(let permit, _, _, _), .endorse(let permit, _), .changeAddress(let permit, _), .status(let permit, _): permit
        }
    }

    var application: Int64? {
        if case .issue(let application, _, _) = self { return application }
        return nil
    }

    /// The card state the write leaves when made on `day`, from the state before it.
    func expected(after before: CardSnapshot, on day: CalendarDate) -> CardSnapshot {
        switch self {
        case .issue, .replacement: before.issuedCard(on: day)
        case .endorse: before.endorsed(on: day)
        case .changeAddress: before.readdressed(on: day)
        case .status(_, let write): before.adding(write.change, on: day)
        }
    }

    /// Whether the write may be made again, without the officer or the holder, when the card is presented
    /// showing the old state: never with a PIN (it is not kept), an endorsement or an address only on the day
    /// it was asked for (the rules date it), an issuance only on a card still unfinished.
    func redoable(openedOn: CalendarDate, today: CalendarDate, now: CardSnapshot) -> String? {
        switch self {
        case .issue(_, _, let pin), .replacement(_, _, _, let pin):
            if pin { return "the holder's PIN is not kept; issue the card again with the holder present" }
            return now.issued ? "the card is finalised, but not as this issuance expected" : nil
        case .endorse(_, let pin):
            if pin { return "the holder's PIN is not kept; the holder endorses again" }
            return openedOn == today ? nil : "it was asked for on \(openedOn), and an endorsement is dated the day it is made; endorse again"
        case .changeAddress:
            return openedOn == today ? nil : "it was asked for on \(openedOn); change the address again"
        case .status:
            return nil
        }
    }

    /// Writes the card. `pin` is the holder's, when this write needs it and the caller has it.
    func perform(on card: PermitCard, pin: String?) async throws(PermitCardError) {
        switch self {
        case .issue(_, var request, _), .replacement(_, var request, _, _):
            request.pin = pin
            _ = try await card.issue(request)
        case .endorse:
            _ = try await card.endorse(decision: .byRules, pin: pin)
        case .changeAddress(_, let address):
            _ = try await card.changeAddress(to: address)
        case .status(_, let write):
            _ = try await card.changeStatus(write.change)
        }
    }

    /// Records the act in the registry, dated as the card's new record is (`after`); called inside the
    /// transaction that settles its intent.
    func record(in registry: Registry, serial: String, after: CardSnapshot, openedOn: CalendarDate, actor: String) throws(RegistryError) -> String {
        switch self {
        case .issue(let application, _, _):
            let permit = try registry.issue(application: application, on: after.statusOn ?? openedOn, cardSerial: serial, actor: actor)
            return "permit \(permit.id ?? 0) issued on card \(serial)"
        case .replacement(let permit, _, let cause, _):
            _ = try registry.replaceCard(permit: permit, newSerial: serial, on: after.statusOn ?? openedOn, cause: cause, actor: actor)
            return "card \(serial) replaces the permit's card (\(cause.rawValue))"
        case .endorse(let permit, _):
            let day = after.lastEndorsedOn ?? openedOn
            let endorsement = try registry.endorse(permit: permit, on: day, actor: actor)
            return "endorsed on \(day) (\(endorsement.rawValue))"
        case .changeAddress(let permit, let address):
            let change = try registry.changeAddress(permit: permit, movedOn: address.since, reportedOn: after.residenceWrittenOn ?? openedOn,
                                                    to: address.text, actor: actor)
            try registry.recordDistrict(address.district.digits, of: change)
            return "address changed to \(address.text)\(change.late ? " (reported late)" : "")"
        case .status(let permit, let write):
            if case .cancel(let reason, let decidedBy, let note) = write {
                try registry.cancel(permit: permit, on: after.statusOn ?? openedOn, reason: reason, decidedBy: decidedBy, note: note, actor: actor)
            }
            return write.summary
        }
    }
}

/// A status record the station writes.
enum StatusWrite: Codable, Sendable, Hashable {
    /// The registry holds the permit suspended (not endorsed by its expiry).
    case suspension
    /// The registry holds the permit in force again while the card shows it suspended.
    case restoration
    /// An officer's determination to cancel, recorded with the write.
    case cancel(CancellationReason, decidedBy: String, note: String)
    /// A cancellation the registry holds already.
    case cancellation(CancellationReason)
    /// This card is replaced by another.
    case void(ReplacementReason)

    var change: CardStatusChange {
        switch self {
        case .suspension: .suspendedOverdue
        case .restoration: .restored
        case .cancel(let reason, _, _), .cancellation(let reason): .cancelled(reason)
        case .void(let reason): .replaced(reason)
        }
    }

    var act: String {
        switch self {
        case .suspension: "suspend"
        case .restoration: "restore"
        case .cancel, .cancellation: "cancel"
        case .void: "void"
        }
    }

    var summary: String {
        switch self {
        case .suspension: "suspension written to the card"
        case .restoration: "restoration written to the card"
        case .cancel(let reason, let decidedBy, _): "cancelled (\(reason.rawValue)), decided by \(decidedBy)"
        case .cancellation(let reason): "cancellation (\(reason.rawValue)) written to the card"
        case .void(let reason): "card voided: replaced (\(reason.rawValue))"
        }
    }
}
