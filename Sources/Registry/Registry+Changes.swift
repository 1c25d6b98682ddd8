import Foundation
import GRDB
import Lifecycle
import ApplicationData

extension Registry {
    /// Records a change of residence address or of the place of work or study, moved on `movedOn` and reported on
    /// `reportedOn`, with its deadline (the region's, counted as the region counts); flagged late when reported
    /// after it, and recorded anyway (the address on the card must be right).
    public func changeAddress(permit id: Int64, kind: ChangeKind = .residence, movedOn: CalendarDate, reportedOn: CalendarDate,
                              to newAddress: String, documents: String? = nil, actor: String) throws(RegistryError) -> AddressChange {
        try write(actor: actor) { db, context in
            do throws(FieldProblem) {
                // The place of work or study is not on the card; it is held to the address's rules and size.
                try PersonalText.check(newAddress, field: kind == .residence ? "address" : "workplace", maxBytes: PersonalText.Limit.residenceAddress)
            } catch { throw RegistryError.application(error) }
            try self.requireHappened(reportedOn, field: "reported_on")
            guard movedOn <= reportedOn else {
                throw RegistryError.invalid(field: "moved_on", value: movedOn.description, problem: "is after the day it was reported (\(reportedOn))")
            }
            var (permit, policy) = try self.prepareEvent(permit: id, on: reportedOn, db: db, context: context)
            guard permit.status != .cancelled else { throw RegistryError.permitCancelled(id) }
            let period = kind == .residence ? policy.addressChangeDeadline : policy.workplaceChangeDeadline
            let deadline: CalendarDate?
            do throws(LifecycleError) {
                deadline = try period.map { period throws(LifecycleError) in try policy.lastDay(of: period, from: movedOn) }
            } catch {
                throw RegistryError.rules(error)
            }
            var change = AddressChange(
                id: nil, permitId: id, movedOn: movedOn, reportedOn: reportedOn,
                oldAddress: (kind == .residence ? permit.address : permit.workplace) ?? "", newAddress: newAddress,
                late: deadline.map { reportedOn > $0 } ?? false, actor: context.actor, station: context.station,
                transactionId: context.transactionId, recordedAt: context.recordedAt, kind: kind, deadlineOn: deadline, documents: documents)
            try change.insert(db)
            switch kind {
            case .residence: permit.address = newAddress
            case .workplace: permit.workplace = newAddress
            }
            permit.lastEventOn = max(permit.lastEventOn, reportedOn)
            try permit.update(db)
            return change
        }
    }

    /// Accepts an application for a new card for an existing permit (换领 for a damaged card, 补领 for a lost one), to be
    /// issued within the region's deadline (by a central office where the region makes cards centrally); the card fee
    /// is recorded as due where the region charges it.
    public func acceptReplacement(permit id: Int64, on date: CalendarDate, cause: ReplacementReason, documents: String,
                                  actor: String) throws(RegistryError) -> Application {
        try write(actor: actor) { db, context in
            try Self.requireKept(cause)
            try Self.checkText(documents, field: "documents")
            var (permit, policy) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            guard permit.status != .cancelled else { throw RegistryError.permitCancelled(id) }
            var application = Application(
                id: nil, holderId: permit.holderId, profile: permit.profile, acceptedOn: date, grounds: .home, documents: documents,
                address: permit.address, deadlineOn: try Self.issuanceDeadline(policy, acceptedOn: date), actor: context.actor,
                station: context.station, transactionId: context.transactionId, recordedAt: context.recordedAt,
                residenceRegisteredOn: nil, talentException: false, kind: cause.applicationKind, permitId: id, workplace: permit.workplace)
            try application.insert(db)
            if Self.charged(cause.feeAct, policy) {
                try Self.recordFee(cause.feeAct, permit: id, application: application.id, on: date, db: db, context: context)
            }
            permit.lastEventOn = max(permit.lastEventOn, date)
            try permit.update(db)
            return application
        }
    }

    /// Issues a replacement card (补领/换领) for the permit's current card; the old card is marked replaced. With
    /// `application`, it answers that accepted application (its fee was recorded then); without, the card fee is
    /// recorded as due now where the region charges it.
    public func replaceCard(permit id: Int64, newSerial: String, on date: CalendarDate, cause: ReplacementReason,
                            application: Int64? = nil, actor: String) throws(RegistryError) -> Card {
        try write(actor: actor) { db, context in
            try Self.requireKept(cause)
            var (permit, policy) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            guard permit.status != .cancelled else { throw RegistryError.permitCancelled(id) }
            if let application {
                guard let found = try Application.fetchOne(db, key: application), found.permitId == id, found.kind == cause.applicationKind else {
                    throw RegistryError.invalid(field: "application", value: String(application), problem: "is not a \(cause.applicationKind.rawValue) application for permit \(id)")
                }
            }
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
                                      transactionId: context.transactionId, recordedAt: context.recordedAt, applicationId: application)
            try row.insert(db)
            if application == nil, Self.charged(cause.feeAct, policy) {
                try Self.recordFee(cause.feeAct, permit: id, application: nil, on: date, db: db, context: context)
            }
            permit.lastEventOn = max(permit.lastEventOn, date)
            try permit.update(db)
            return card
        }
    }

    /// Records that the holder's residence points were granted: valid for the year of the application, and lapsing
    /// earlier if the permit is suspended or cancelled. Refused in a region without points.
    public func grantPoints(permit id: Int64, on date: CalendarDate, actor: String) throws(RegistryError) {
        try write(actor: actor) { db, context in
            var (permit, policy) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            guard let rule = policy.points else { throw RegistryError.noPoints(profile: permit.profile) }
            guard permit.status.isInForce else {
                throw RegistryError.invalid(field: "permit", value: String(id), problem: "is \(permit.status), and points are granted only on a permit in force")
            }
            let validUntil = rule.validUntil(grantedOn: date)
            var row = PointsEvent(id: nil, permitId: id, kind: .granted, effectiveOn: date, cause: "application",
                                  actor: context.actor, station: context.station,
                                  transactionId: context.transactionId, recordedAt: context.recordedAt, validUntil: validUntil)
            try row.insert(db)
            permit.pointsActive = true
            permit.pointsValidUntil = validUntil
            permit.lastEventOn = max(permit.lastEventOn, date)
            try permit.update(db)
        }
    }

    /// Records a refused endorsement because the holder no longer qualifies (不予签注), with the ground lost and who
    /// decided. The permit's state does not change: cancelling (ground ②) is a separate determination.
    @discardableResult
    public func refuseEndorsement(permit id: Int64, on date: CalendarDate, lostGrounds: EligibilityGrounds, reason: String,
                                  decidedBy: String, actor: String) throws(RegistryError) -> EndorsementRefusal {
        try write(actor: actor) { db, context in
            try Self.checkText(reason, field: "reason")
            try Self.checkText(decidedBy, field: "decided_by")
            var (permit, _) = try self.prepareEvent(permit: id, on: date, db: db, context: context)
            guard permit.status != .cancelled else { throw RegistryError.permitCancelled(id) }
            var row = EndorsementRefusal(id: nil, permitId: id, refusedOn: date, lostGrounds: lostGrounds, reason: reason, decidedBy: decidedBy,
                                         actor: context.actor, station: context.station,
                                         transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            permit.lastEventOn = max(permit.lastEventOn, date)
            try permit.update(db)
            return row
        }
    }

    /// Records years the holder held a temporary residence permit (暂住证) before, which count towards the residence
    /// years where the region says so.
    @discardableResult
    public func recordTemporaryPermit(idNumber: String, name: String, from: CalendarDate, to: CalendarDate, issuedBy: String,
                                      actor: String) throws(RegistryError) -> TemporaryPermit {
        try write(actor: actor) { db, context in
            do throws(CitizenID.Problem) { _ = try CitizenID(idNumber) } catch {
                throw RegistryError.invalid(field: "id_number", value: idNumber, problem: error.description)
            }
            try Self.checkText(issuedBy, field: "issued_by")
            guard from <= to else { throw RegistryError.invalid(field: "from", value: from.description, problem: "is after the end (\(to))") }
            try self.requireHappened(to, field: "to")
            let holder = try self.holder(idNumber: idNumber, name: name, db: db)
            var row = TemporaryPermit(id: nil, holderId: holder.id!, fromOn: from, toOn: to, issuedBy: issuedBy, actor: context.actor,
                                      station: context.station, transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            return row
        }
    }

    /// Records the payment of a fee due.
    @discardableResult
    public func payFee(_ feeId: Int64, on date: CalendarDate, amountFen: Int, receipt: String, actor: String) throws(RegistryError) -> FeePayment {
        try write(actor: actor) { db, context in
            try Self.checkText(receipt, field: "receipt")
            guard amountFen > 0 else { throw RegistryError.invalid(field: "amount", value: String(amountFen), problem: "must be more than 0 fen") }
            guard let fee = try Fee.fetchOne(db, key: feeId) else { throw RegistryError.unknownFee(feeId) }
            guard try FeePayment.filter(Column("fee_id") == feeId).fetchCount(db) == 0 else { throw RegistryError.feeAlreadyPaid(feeId) }
            try self.requireHappened(date, field: "paid_on")
            guard date >= fee.dueOn else { throw RegistryError.invalid(field: "paid_on", value: date.description, problem: "is before the fee was due (\(fee.dueOn))") }
            var row = FeePayment(id: nil, feeId: feeId, paidOn: date, amountFen: amountFen, receipt: receipt, actor: context.actor,
                                 station: context.station, transactionId: context.transactionId, recordedAt: context.recordedAt)
            try row.insert(db)
            return row
        }
    }

    /// Free text the registry keeps (reasons, who decided, receipts, documents): the same rules as the card's
    /// text, at most `documentsLimit` bytes.
    static func checkText(_ text: String, field: String) throws {
        do throws(FieldProblem) { try PersonalText.check(text, field: field, maxBytes: documentsLimit) } catch { throw RegistryError.application(error) }
    }

    /// The registry's `card_replacements` keeps lost and damaged cards (its schema's causes).
    static func requireKept(_ cause: ReplacementReason) throws {
        guard cause != .renewed else {
            throw RegistryError.invalid(field: "cause", value: cause.rawValue, problem: "is not kept by this registry yet; record the replacement as lost or damaged")
        }
    }

    static func charged(_ act: FeeAct, _ policy: RegionPolicy) -> Bool {
        switch act {
        case .firstPermit: policy.cardFee.firstPermit
        case .endorsement: policy.cardFee.endorsement
        case .renewal: policy.cardFee.renewal
        case .replacement: policy.cardFee.replacement
        }
    }

    static func recordFee(_ act: FeeAct, permit: Int64?, application: Int64?, on date: CalendarDate, db: Database, context: WriteContext) throws {
        var fee = Fee(id: nil, permitId: permit, applicationId: application, act: act, dueOn: date, actor: context.actor,
                      station: context.station, transactionId: context.transactionId, recordedAt: context.recordedAt)
        try fee.insert(db)
    }
}

extension ReplacementReason {
    /// The application a new card for this reason answers: 补领 for a lost card, 换领 otherwise.
    public var applicationKind: ApplicationKind { self == .lost ? .replacement : .renewal }
    /// The fee act it is charged as.
    public var feeAct: FeeAct { self == .lost ? .replacement : .renewal }
}
