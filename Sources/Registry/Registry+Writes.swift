import ApplicationData
import Foundation
import GRDB
import Lifecycle

/// An application for a first permit as taken at the desk (or from an import row).
public struct NewApplication: Sendable, Hashable {
    public var idNumber: String
    public var name: String
    public var profile: String
    public var acceptedOn: CalendarDate
    public var grounds: EligibilityGrounds
    public var documents: String
    public var address: String
    /// The residence-registration date (居住登记 / 暂住登记) the minimum residence counts from.
    public var residenceRegisteredOn: CalendarDate?
    /// Accepted under the talent exception (投资创业人才或引进人才), where the region has it.
    public var talentException: Bool
    /// The place of work or study (服务处所), if given.
    public var workplace: String?

    public init(idNumber: String, name: String, profile: String, acceptedOn: CalendarDate, grounds: EligibilityGrounds,
                documents: String, address: String, residenceRegisteredOn: CalendarDate?, talentException: Bool = false,
                workplace: String? = nil) {
        self.idNumber = idNumber
        self.name = name
        self.profile = profile
        self.acceptedOn = acceptedOn
        self.grounds = grounds
        self.documents = documents
        self.address = address
        self.residenceRegisteredOn = residenceRegisteredOn
        self.talentException = talentException
        self.workplace = workplace
    }
}

extension Registry {
    /// Records an accepted application (and its holder, the first time the ID number is seen), after checking
    /// the minimum residence since registration or the talent exception.
    public func accept(_ new: NewApplication, actor: String) throws(RegistryError) -> Application {
        try write(actor: actor) { db, context in try self.accept(new, requireRegistration: true, db: db, context: context) }
    }

    /// `requireRegistration: false` only for permits issued before the registry kept the registration date (imports).
    func accept(_ new: NewApplication, requireRegistration: Bool, db: Database, context: WriteContext) throws -> Application {
        try Self.check(new, today: calendar.today)
        let policy = try policy(for: new.profile)
        try Self.checkEligibility(new, policy: policy, requireRegistration: requireRegistration)
        let holder = try holder(idNumber: new.idNumber, name: new.name, db: db)
        var application = Application(
            id: nil, holderId: holder.id!, profile: new.profile, acceptedOn: new.acceptedOn, grounds: new.grounds,
            documents: new.documents, address: new.address, deadlineOn: try Self.issuanceDeadline(policy, acceptedOn: new.acceptedOn),
            actor: context.actor, station: context.station, transactionId: context.transactionId, recordedAt: context.recordedAt,
            residenceRegisteredOn: new.residenceRegisteredOn, talentException: new.talentException, kind: .first, permitId: nil,
            workplace: new.workplace)
        try application.insert(db)
        if Self.charged(.firstPermit, policy) { try Self.recordFee(.firstPermit, permit: nil, application: application.id, on: new.acceptedOn, db: db, context: context) }
        return application
    }

    static func checkEligibility(_ new: NewApplication, policy: RegionPolicy, requireRegistration: Bool) throws {
        if new.talentException {
            guard policy.eligibility.talentException else {
                throw RegistryError.notEligible("the \(new.profile) rules have no talent exception; the holder needs \(policy.eligibility.minimumResidenceMonths) months of registered residence")
            }
            return
        }
        guard let registered = new.residenceRegisteredOn else {
            guard requireRegistration else { return }
            throw RegistryError.invalid(field: "residence_registered_on", value: "", problem: "is needed: residence counts from the date of residence registration (居住登记)")
        }
        let earliest = policy.eligibility.earliestApplication(registeredOn: registered)
        guard new.acceptedOn >= earliest else {
            throw RegistryError.notEligible("residence registered on \(registered) reaches \(policy.eligibility.minimumResidenceMonths) months on \(earliest); apply on or after that day")
        }
    }

    static func issuanceDeadline(_ policy: RegionPolicy, acceptedOn: CalendarDate) throws -> CalendarDate {
        do throws(LifecycleError) {
            return try policy.lastDay(of: policy.issuanceDeadline, from: acceptedOn)
        } catch {
            throw RegistryError.rules(error)
        }
    }

    /// The holder with this ID number (created the first time), refusing a different name for a known number.
    func holder(idNumber: String, name: String, db: Database) throws -> Holder {
        if let existing = try Holder.filter(Column("id_number") == idNumber).fetchOne(db) {
            guard existing.name == name else { throw RegistryError.idNumberNameMismatch(idNumber: idNumber, registeredName: existing.name) }
            return existing
        }
        var holder = Holder(id: nil, idNumber: idNumber, name: name)
        try holder.insert(db)
        return holder
    }

    /// Issues the permit of an accepted first application, with its first card.
    public func issue(application id: Int64, on date: CalendarDate, cardSerial: String, actor: String) throws(RegistryError) -> Permit {
        try write(actor: actor) { db, context in try self.issue(application: id, on: date, cardSerial: cardSerial, db: db, context: context) }
    }

    func issue(application id: Int64, on date: CalendarDate, cardSerial: String, db: Database, context: WriteContext) throws -> Permit {
        guard let application = try Application.fetchOne(db, key: id), application.kind == .first else { throw RegistryError.unknownApplication(id) }
        if let issued = try Permit.filter(Column("application_id") == id).fetchOne(db) {
            throw RegistryError.applicationAlreadyIssued(application: id, permit: issued.id!)
        }
        try requireHappened(date, field: "issued_on")
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
            cycleStartOn: date, renewals: 0, residenceSinceOn: date, expiryOn: state.expiry(policy), cancelledOn: nil, cancelReason: nil,
            status: state.status(on: date, policy: policy), statusOn: date, nextOn: next?.on, nextStatus: next?.to,
            address: application.address, workplace: application.workplace, lastEventOn: date, lastChangeId: nil,
            pointsActive: false, pointsValidUntil: nil)
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
            permit.adopt(state, policy: policy)
            var row = EndorsementRecord(
                id: nil, permitId: id, endorsedOn: date, class: endorsementClass, expiryAfter: state.expiry(policy),
                anchorAfter: state.residenceSince, actor: context.actor, station: context.station,
                transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            if Self.charged(.endorsement, policy) { try Self.recordFee(.endorsement, permit: id, application: nil, on: date, db: db, context: context) }
            try self.finishEvent(&permit, state: state, on: date, trigger: .endorsed, reason: "endorsed:\(endorsementClass.rawValue)",
                                 policy: policy, db: db, context: context)
            return endorsementClass
        }
    }

    /// Records an officer's determination to cancel (注销), with who decided. `overdue` is accepted only once the
    /// permit is due for cancellation; the sweep never cancels.
    public func cancel(permit id: Int64, on date: CalendarDate, reason: CancellationReason, decidedBy: String, note: String = "",
                       actor: String) throws(RegistryError) {
        try write(actor: actor) { db, context in
            try Self.checkText(decidedBy, field: "decided_by")
            var (permit, policy) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            var state = permit.state
            do throws(LifecycleError) {
                try state.cancel(on: date, reason: reason, policy: policy)
            } catch {
                throw RegistryError.refused(permit: id, error)
            }
            permit.adopt(state, policy: policy)
            var row = CancellationDetermination(id: nil, permitId: id, effectiveOn: date, reason: reason, decidedBy: decidedBy, note: note,
                                                actor: context.actor, station: context.station,
                                                transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            try self.finishEvent(&permit, state: state, on: date, trigger: .officerCancellation,
                                 reason: "officerCancellation:\(reason.rawValue)", policy: policy, db: db, context: context)
        }
    }

    /// Loads a permit for an event on `date`: refuses back-dating, then applies the calendar transitions up to `date`.
    func prepareEvent(permit id: Int64, on date: CalendarDate, db: Database, context: WriteContext) throws -> (Permit, RegionPolicy) {
        try requireHappened(date, field: "date")
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

    /// ApplicationData's checks, the same the card's issuance makes: the ID (GB 11643) and its birth date (not
    /// after today), the name and the address as the card will hold them, and the dates in order: birth, residence
    /// registration, acceptance, today.
    static func check(_ new: NewApplication, today: CalendarDate) throws(RegistryError) {
        do throws(FieldProblem) {
            let id = try ApplicationCheck.citizenID(new.idNumber, field: "id_number")
            try ApplicationCheck.birthDate(id.birthDate, today: today, field: "id_number (birth date)")
            try ApplicationCheck.happened(new.acceptedOn, today: today, field: "accepted_on")
            try PersonalText.check(new.name, field: "name", maxBytes: PersonalText.Limit.name)
            try PersonalText.check(new.address, field: "address", maxBytes: PersonalText.Limit.residenceAddress)
            try PersonalText.check(new.workplace, field: "workplace", maxBytes: PersonalText.Limit.residenceAddress)
            try PersonalText.check(new.documents, field: "documents", maxBytes: documentsLimit)
            guard new.acceptedOn > id.birthDate else {
                throw FieldProblem("accepted_on", "\(new.acceptedOn) is not after the holder's birth (\(id.birthDate), from the ID number); check the date.")
            }
            if let registered = new.residenceRegisteredOn {
                guard registered > id.birthDate else {
                    throw FieldProblem("residence_registered_on", "\(registered) is not after the holder's birth (\(id.birthDate), from the ID number); check the date.")
                }
                guard registered <= new.acceptedOn else {
                    throw FieldProblem("residence_registered_on", "\(registered) is after the application (\(new.acceptedOn)); give the day the holder registered at the address.")
                }
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
