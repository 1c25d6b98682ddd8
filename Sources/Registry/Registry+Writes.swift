import ApplicationData
import Foundation
import GRDB
import Lifecycle

/// An application as taken at the desk (or from an import row).
public struct NewApplication: Sendable, Hashable {
    public var idNumber: String
    public var name: String
    public var profile: String
    public var acceptedOn: CalendarDate
    public var grounds: EligibilityGrounds
    public var documents: String
    public var address: String

    public init(idNumber: String, name: String, profile: String, acceptedOn: CalendarDate,
                grounds: EligibilityGrounds, documents: String, address: String) {
        self.idNumber = idNumber
        self.name = name
        self.profile = profile
        self.acceptedOn = acceptedOn
        self.grounds = grounds
        self.documents = documents
        self.address = address
    }
}

extension Registry {
    /// Records an accepted application (and its holder, the first time the ID number is seen).
    public func accept(_ new: NewApplication, actor: String) throws(RegistryError) -> Application {
        try write(actor: actor) { db, context in try self.accept(new, db: db, context: context) }
    }

    func accept(_ new: NewApplication, db: Database, context: WriteContext) throws -> Application {
        try Self.check(new)
        let policy = try policy(for: new.profile)
        var holder: Holder
        if let existing = try Holder.filter(Column("id_number") == new.idNumber).fetchOne(db) {
            guard existing.name == new.name else { throw RegistryError.idNumberNameMismatch(idNumber: new.idNumber, registeredName: existing.name) }
            holder = existing
        } else {
            holder = Holder(id: nil, idNumber: new.idNumber, name: new.name)
            try holder.insert(db)
        }
        var application = Application(
            id: nil, holderId: holder.id!, profile: new.profile, acceptedOn: new.acceptedOn, grounds: new.grounds,
            documents: new.documents, address: new.address, deadlineOn: new.acceptedOn.adding(policy.issuanceDeadline),
            actor: context.actor, station: context.station, transactionId: context.transactionId, recordedAt: context.recordedAt)
        try application.insert(db)
        return application
    }

    /// Issues the permit of an accepted application, with its first card.
    public func issue(application id: Int64, on date: CalendarDate, cardSerial: String, actor: String) throws(RegistryError) -> Permit {
        try write(actor: actor) { db, context in try self.issue(application: id, on: date, cardSerial: cardSerial, db: db, context: context) }
    }

    func issue(application id: Int64, on date: CalendarDate, cardSerial: String, db: Database, context: WriteContext) throws -> Permit {
        guard let application = try Application.fetchOne(db, key: id) else { throw RegistryError.unknownApplication(id) }
        if let issued = try Permit.filter(Column("application_id") == id).fetchOne(db) {
            throw RegistryError.applicationAlreadyIssued(application: id, permit: issued.id!)
        }
        guard date >= application.acceptedOn else {
            throw RegistryError.invalid(field: "issued_on", value: date.description, problem: "is before the application was accepted (\(application.acceptedOn))")
        }
        let policy = try policy(for: application.profile)
        for other in try Permit.filter(Column("holder_id") == application.holderId).fetchAll(db)
        where other.state.status(on: max(date, other.issuedOn), policy: try self.policy(for: other.profile)) != .cancelled {
            let holder = try Holder.fetchOne(db, key: application.holderId)
            throw RegistryError.holderHasPermit(idNumber: holder?.idNumber ?? "", permit: other.id!)
        }
        try Self.checkSerial(cardSerial, db: db)
        let state = PermitState(issued: date)
        let next = state.nextTransition(after: date, policy: policy)
        var permit = Permit(
            id: nil, applicationId: id, holderId: application.holderId, profile: application.profile, issuedOn: date,
            anchorOn: date, renewals: 0, cancelledOn: nil, cancelReason: nil, status: state.status(on: date, policy: policy),
            statusOn: date, nextOn: next?.on, nextStatus: next?.to, address: application.address, lastEventOn: date,
            lastChangeId: nil, pointsActive: false)
        try permit.insert(db)
        var change = StatusChange(id: nil, permitId: permit.id!, previousId: nil, fromStatus: nil, toStatus: permit.status, reason: "issued",
                                  effectiveOn: date, actor: context.actor, station: context.station,
                                  transactionId: context.transactionId, recordedAt: context.recordedAt)
        try change.insert(db)
        permit.lastChangeId = change.id
        try permit.update(db)
        var card = Card(id: nil, permitId: permit.id!, serial: cardSerial, issuedOn: date, replacedOn: nil)
        try card.insert(db)
        return permit
    }

    /// Records an endorsement; refused ones throw `RegistryError.refused` and record nothing.
    @discardableResult
    public func endorse(permit id: Int64, on date: CalendarDate, actor: String) throws(RegistryError) -> EndorsementClass {
        try write(actor: actor) { db, context in
            var (permit, policy) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            var state = permit.state
            let endorsementClass: EndorsementClass
            do throws(LifecycleError) {
                endorsementClass = try state.endorse(on: date, policy: policy)
            } catch {
                throw RegistryError.refused(permit: id, error)
            }
            permit.adopt(state)
            var row = EndorsementRecord(
                id: nil, permitId: id, endorsedOn: date, class: endorsementClass, expiryAfter: state.expiry(policy),
                anchorAfter: state.anchor, actor: context.actor, station: context.station,
                transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            try self.finishEvent(&permit, state: state, on: date, trigger: .endorsed, reason: "endorsed:\(endorsementClass.rawValue)",
                                 policy: policy, db: db, context: context)
            return endorsementClass
        }
    }

    /// Records an officer's cancellation with its reason (never `overdue`, which the sweep applies).
    public func cancel(permit id: Int64, on date: CalendarDate, reason: CancellationReason, actor: String) throws(RegistryError) {
        try write(actor: actor) { db, context in
            var (permit, policy) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            var state = permit.state
            do throws(LifecycleError) {
                try state.cancel(on: date, reason: reason, policy: policy)
            } catch {
                throw RegistryError.refused(permit: id, error)
            }
            permit.adopt(state)
            try self.finishEvent(&permit, state: state, on: date, trigger: .officerCancellation,
                                 reason: "officerCancellation:\(reason.rawValue)", policy: policy, db: db, context: context)
        }
    }

    /// Records a change of address reported on `reportedOn` for a move on `movedOn`; flags it late
    /// when reported after the region's deadline (it is recorded anyway: the address must be right).
    public func changeAddress(permit id: Int64, movedOn: CalendarDate, reportedOn: CalendarDate, to newAddress: String,
                              actor: String) throws(RegistryError) -> AddressChange {
        try write(actor: actor) { db, context in
            do throws(FieldProblem) {
                try PersonalText.check(newAddress, field: "address", maxBytes: PersonalText.Limit.residenceAddress)
            } catch { throw RegistryError.application(error) }
            guard movedOn <= reportedOn else {
                throw RegistryError.invalid(field: "moved_on", value: movedOn.description, problem: "is after the day it was reported (\(reportedOn))")
            }
            var (permit, policy) = try self.prepareEvent(permit: id, on: reportedOn, db: db, context: context)
            guard permit.status != .cancelled else { throw RegistryError.permitCancelled(id) }
            var change = AddressChange(
                id: nil, permitId: id, movedOn: movedOn, reportedOn: reportedOn, oldAddress: permit.address, newAddress: newAddress,
                late: reportedOn > movedOn.adding(policy.addressChangeDeadline), actor: context.actor, station: context.station,
                transactionId: context.transactionId, recordedAt: context.recordedAt)
            try change.insert(db)
            permit.address = newAddress
            permit.lastEventOn = max(permit.lastEventOn, reportedOn)
            try permit.update(db)
            return change
        }
    }

    /// Issues a replacement card (补领/换领) for the permit's current card; the old card is marked replaced.
    public func replaceCard(permit id: Int64, newSerial: String, on date: CalendarDate, cause: ReplacementReason,
                            actor: String) throws(RegistryError) -> Card {
        try write(actor: actor) { db, context in
            guard cause != .renewed else {
                throw RegistryError.invalid(field: "cause", value: cause.rawValue, problem: "is not kept by this registry yet; record the replacement as lost or damaged")
            }
            var (permit, _) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            guard permit.status != .cancelled else { throw RegistryError.permitCancelled(id) }
            try Self.checkSerial(newSerial, db: db)
            guard var old = try Card.filter(Column("permit_id") == id && Column("replaced_on") == nil).fetchOne(db) else {
                throw RegistryError.unknownPermit(id)
            }
            var card = Card(id: nil, permitId: id, serial: newSerial, issuedOn: date, replacedOn: nil)
            try card.insert(db)
            old.replacedOn = date
            try old.update(db)
            var row = CardReplacement(id: nil, oldCardId: old.id!, newCardId: card.id!, replacedOn: date, cause: cause,
                                      actor: context.actor, station: context.station,
                                      transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            permit.lastEventOn = max(permit.lastEventOn, date)
            try permit.update(db)
            return card
        }
    }

    /// Records that the holder's residence points were granted (valid until the permit is next suspended or cancelled).
    public func grantPoints(permit id: Int64, on date: CalendarDate, actor: String) throws(RegistryError) {
        try write(actor: actor) { db, context in
            var (permit, _) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            guard permit.status.isInForce else {
                throw RegistryError.invalid(field: "permit", value: String(id), problem: "is \(permit.status), and points are granted only on a permit in force")
            }
            var row = PointsEvent(id: nil, permitId: id, kind: .granted, effectiveOn: date, cause: "application",
                                  actor: context.actor, station: context.station,
                                  transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            permit.pointsActive = true
            permit.lastEventOn = max(permit.lastEventOn, date)
            try permit.update(db)
        }
    }

    /// Loads a permit for an event on `date`: refuses back-dating, then applies the calendar transitions up to `date`.
    func prepareEvent(permit id: Int64, on date: CalendarDate, db: Database, context: WriteContext) throws -> (Permit, RegionPolicy) {
        guard var permit = try Permit.fetchOne(db, key: id) else { throw RegistryError.unknownPermit(id) }
        guard date >= permit.lastEventOn else { throw RegistryError.backdated(permit: id, date: date, latest: permit.lastEventOn) }
        let policy = try policy(for: permit.profile)
        try Self.advance(&permit, through: date, policy: policy, db: db, context: context)
        return (permit, policy)
    }

    /// After an event changed the rules' state: records the status change (if any), reschedules, saves.
    func finishEvent(_ permit: inout Permit, state: PermitState, on date: CalendarDate, trigger: TransitionTrigger, reason: String,
                     policy: RegionPolicy, db: Database, context: WriteContext) throws {
        let status = state.status(on: date, policy: policy)
        if status != permit.status {
            try Self.recordStatusChange(&permit, to: status, trigger: trigger, reason: reason, on: date, policy: policy, db: db, context: context)
        }
        let next = state.nextTransition(after: date, policy: policy)
        permit.nextOn = next?.on
        permit.nextStatus = next?.to
        permit.lastEventOn = max(permit.lastEventOn, date)
        try permit.update(db)
    }

    /// ApplicationData's checks, the same the card's issuance makes: the ID (GB 11643), the name and the
    /// address as the card will hold them, and an acceptance after the holder's birth.
    static func check(_ new: NewApplication) throws(RegistryError) {
        do throws(FieldProblem) {
            let id = try ApplicationCheck.citizenID(new.idNumber, field: "id_number")
            try PersonalText.check(new.name, field: "name", maxBytes: PersonalText.Limit.name)
            try PersonalText.check(new.address, field: "address", maxBytes: PersonalText.Limit.residenceAddress)
            try PersonalText.check(new.documents, field: "documents", maxBytes: documentsLimit)
            guard new.acceptedOn > id.birthDate else {
                throw FieldProblem("accepted_on", "\(new.acceptedOn) is not after the holder's birth (\(id.birthDate), from the ID number); check the date.")
            }
        } catch { throw .application(error) }
    }

    /// The list of documents seen stays in the registry only; it still must be one readable line.
    static let documentsLimit = 1000

    /// Card serials: 4-32 characters, A-Z, 0-9 and '-'; unique across the registry.
    static func checkSerial(_ serial: String, db: Database) throws {
        guard (4...32).contains(serial.count),
              serial.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-") }) else {
            throw RegistryError.invalid(field: "card_serial", value: serial, problem: "must be 4 to 32 characters of A-Z, 0-9 and '-'")
        }
        if try Card.filter(Column("serial") == serial).fetchCount(db) > 0 { throw RegistryError.serialInUse(serial) }
    }
}
