import GRDB
import Lifecycle

/// A row of a registry table. Column names are the snake_case of the property names.
public protocol RegistryRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    var id: Int64? { get set }
}

extension RegistryRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct Holder: RegistryRecord, Hashable {
    public static let databaseTableName = "holders"
    public var id: Int64?
    public var idNumber: String
    public var name: String
}

/// Why the holder qualifies (BRIEF §2: stable job, home or school place).
public enum EligibilityGrounds: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case job, home, study
}

/// What an application asks for: a first permit, or a new card for an existing one (IM seed 003: 申领、换领、补领,
/// each issued within the same deadline).
public enum ApplicationKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// 申领: a first permit.
    case first
    /// 换领: a new card for a damaged or worn one.
    case renewal
    /// 补领: a new card for a lost one.
    case replacement
}

public struct Application: RegistryRecord, Hashable {
    public static let databaseTableName = "applications"
    public var id: Int64?
    public var holderId: Int64
    public var profile: String
    public var acceptedOn: CalendarDate
    public var grounds: EligibilityGrounds
    /// The documents the officer saw, as written on the form (e.g. "lease; employment contract").
    public var documents: String
    public var address: String
    /// Acceptance + the region's issuance deadline (the last day, counted as the region counts).
    public var deadlineOn: CalendarDate
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
    /// The date of residence registration (居住登记 / 暂住登记) the six months count from; `nil` for rows kept from
    /// before it was recorded, and for renewals and replacements.
    public var residenceRegisteredOn: CalendarDate?
    /// Accepted under the talent exception (投资创业人才或引进人才), without the minimum residence.
    public var talentException: Bool
    public var kind: ApplicationKind
    /// For a renewal or replacement: the permit it is for.
    public var permitId: Int64?
    /// The place of work or study (服务处所), if given.
    public var workplace: String?
}

/// A permit's current state. Every change to it is accompanied by a history row.
public struct Permit: RegistryRecord, Hashable {
    public static let databaseTableName = "permits"
    public var id: Int64?
    public var applicationId: Int64
    public var holderId: Int64
    public var profile: String
    public var issuedOn: CalendarDate
    /// Start of the validity cycle (`PermitState.cycleStart`).
    public var cycleStartOn: CalendarDate
    public var renewals: Int
    /// Start of the residence period (`PermitState.residenceSince`).
    public var residenceSinceOn: CalendarDate
    /// The expiry the rules derive from the cycle; stored so reminders can find permits by it (indexed).
    public var expiryOn: CalendarDate
    public var cancelledOn: CalendarDate?
    public var cancelReason: CancellationReason?
    public var status: PermitStatus
    /// The day the current status took effect.
    public var statusOn: CalendarDate
    /// The next calendar transition (indexed: the sweep reads only these).
    public var nextOn: CalendarDate?
    public var nextStatus: PermitStatus?
    public var address: String
    /// The place of work or study (服务处所), if recorded.
    public var workplace: String?
    /// The latest effective day recorded for this permit; later events may not be dated before it.
    public var lastEventOn: CalendarDate
    /// The newest row of this permit's status-change chain.
    public var lastChangeId: Int64?
    public var pointsActive: Bool
    /// The last day granted points are valid (the end of the application year), while `pointsActive`.
    public var pointsValidUntil: CalendarDate?

    /// The rules' view of this permit.
    public var state: PermitState {
        PermitState(issued: issuedOn, cycleStart: cycleStartOn, renewals: renewals, residenceSince: residenceSinceOn,
                    cancellation: cancelledOn.map { Cancellation(on: $0, reason: cancelReason ?? .otherLegalGround) })
    }

    mutating func adopt(_ state: PermitState, policy: RegionPolicy) {
        cycleStartOn = state.cycleStart
        renewals = state.renewals
        residenceSinceOn = state.residenceSince
        expiryOn = state.expiry(policy)
        cancelledOn = state.cancellation?.on
        cancelReason = state.cancellation?.reason
    }

    /// Whether granted points count on `date`: granted, not lapsed, and within their year.
    public func pointsValid(on date: CalendarDate) -> Bool {
        pointsActive && (pointsValidUntil.map { date <= $0 } ?? false)
    }
}

public struct Card: RegistryRecord, Hashable {
    public static let databaseTableName = "cards"
    public var id: Int64?
    public var permitId: Int64
    public var serial: String
    public var issuedOn: CalendarDate
    /// Set, together with a `card_replacements` row, when a replacement card is issued; the card then fails verification.
    public var replacedOn: CalendarDate?
}

public struct CardReplacement: RegistryRecord, Hashable {
    public static let databaseTableName = "card_replacements"
    public var id: Int64?
    public var oldCardId: Int64
    public var newCardId: Int64
    public var replacedOn: CalendarDate
    public var cause: ReplacementReason
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
    /// The renewal or replacement application it answers, when one was accepted first (central card production).
    public var applicationId: Int64?
}

public struct EndorsementRecord: RegistryRecord, Hashable {
    public static let databaseTableName = "endorsements"
    public var id: Int64?
    public var permitId: Int64
    public var endorsedOn: CalendarDate
    public var `class`: EndorsementClass
    public var expiryAfter: CalendarDate
    public var anchorAfter: CalendarDate
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

/// What a reported change is about (seed 000: 居住地址、服务处所).
public enum ChangeKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case residence, workplace
}

public struct AddressChange: RegistryRecord, Hashable {
    public static let databaseTableName = "address_changes"
    public var id: Int64?
    public var permitId: Int64
    public var movedOn: CalendarDate
    public var reportedOn: CalendarDate
    public var oldAddress: String
    public var newAddress: String
    /// Reported after the region's deadline (recorded anyway: the address must be right).
    public var late: Bool
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
    public var kind: ChangeKind
    /// The last day to report it (`nil`: the region sets no deadline for this kind, or a row from before v5).
    public var deadlineOn: CalendarDate?
    /// The documents shown (Inner Mongolia: ID and proof of the new home, at the new place's agency).
    public var documents: String?
}

public struct StatusChange: RegistryRecord, Hashable {
    public static let databaseTableName = "status_changes"
    public var id: Int64?
    public var permitId: Int64
    /// The permit's previous status change (`nil` for the first): the chain replaces an index on `permit_id`.
    public var previousId: Int64?
    /// `nil` for the issuance row.
    public var fromStatus: PermitStatus?
    public var toStatus: PermitStatus
    /// A `TransitionTrigger` raw value, `issued`, or for cancellations `TRIGGER:REASON`.
    public var reason: String
    public var effectiveOn: CalendarDate
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

public struct PointsEvent: RegistryRecord, Hashable {
    public static let databaseTableName = "points_events"
    public enum Kind: String, Codable, Sendable, DatabaseValueConvertible { case granted, lapsed }
    public var id: Int64?
    public var permitId: Int64
    public var kind: Kind
    public var effectiveOn: CalendarDate
    /// For a lapse, the status that caused it.
    public var cause: String
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
    /// For a grant, the last day it is valid (`nil` for rows from before v5).
    public var validUntil: CalendarDate?
}

/// An officer's determination to cancel (注销, 经有关部门认定后): who decided, when, and why.
public struct CancellationDetermination: RegistryRecord, Hashable {
    public static let databaseTableName = "cancellations"
    public var id: Int64?
    public var permitId: Int64
    public var effectiveOn: CalendarDate
    public var reason: CancellationReason
    /// The officer or department that made the determination (may differ from the one recording it).
    public var decidedBy: String
    public var note: String
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

/// An endorsement refused because the holder no longer qualifies (不予签注); cancelling is a separate determination.
public struct EndorsementRefusal: RegistryRecord, Hashable {
    public static let databaseTableName = "endorsement_refusals"
    public var id: Int64?
    public var permitId: Int64
    public var refusedOn: CalendarDate
    /// Which ground the holder lost: job, home or study.
    public var lostGrounds: EligibilityGrounds
    public var reason: String
    public var decidedBy: String
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

/// Years under an earlier temporary residence permit (暂住证), which count towards the residence years where
/// the region says so (Inner Mongolia, seed 003).
public struct TemporaryPermit: RegistryRecord, Hashable {
    public static let databaseTableName = "temporary_permits"
    public var id: Int64?
    public var holderId: Int64
    public var fromOn: CalendarDate
    public var toOn: CalendarDate
    public var issuedBy: String
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

/// The acts a card fee (工本费) may be due for.
public enum FeeAct: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case firstPermit, endorsement, renewal, replacement
}

/// A card fee due: created when a charged act is accepted; paid by a `FeePayment`.
public struct Fee: RegistryRecord, Hashable {
    public static let databaseTableName = "fees"
    public var id: Int64?
    public var permitId: Int64?
    public var applicationId: Int64?
    public var act: FeeAct
    public var dueOn: CalendarDate
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

public struct FeePayment: RegistryRecord, Hashable {
    public static let databaseTableName = "fee_payments"
    public var id: Int64?
    public var feeId: Int64
    public var paidOn: CalendarDate
    /// In fen (0.01 yuan): the amount the price authorities set is entered by the officer.
    public var amountFen: Int
    public var receipt: String
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

/// Something the v5 migration could not carry over under the corrected rules alone, for an officer to review.
public struct MigrationReview: RegistryRecord, Hashable {
    public static let databaseTableName = "migration_reviews"
    public var id: Int64?
    public var permitId: Int64?
    public var applicationId: Int64?
    public var migration: String
    public var note: String
}
