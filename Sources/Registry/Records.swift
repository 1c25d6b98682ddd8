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

/// Why the holder qualifies (BRIEF §2: stable job, home or study place).
public enum EligibilityGrounds: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case job, home, study
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
    /// Acceptance + the region's issuance deadline.
    public var deadlineOn: CalendarDate
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

/// A permit's current state. Every change to it is accompanied by a history row.
public struct Permit: RegistryRecord, Hashable {
    public static let databaseTableName = "permits"
    public var id: Int64?
    public var applicationId: Int64
    public var holderId: Int64
    public var profile: String
    public var issuedOn: CalendarDate
    public var anchorOn: CalendarDate
    public var renewals: Int
    public var cancelledOn: CalendarDate?
    public var cancelReason: CancellationReason?
    public var status: PermitStatus
    /// The day the current status took effect.
    public var statusOn: CalendarDate
    /// The next calendar transition (indexed: the sweep reads only these).
    public var nextOn: CalendarDate?
    public var nextStatus: PermitStatus?
    public var address: String
    /// The latest effective day recorded for this permit; later events may not be dated before it.
    public var lastEventOn: CalendarDate
    /// The newest row of this permit's status-change chain.
    public var lastChangeId: Int64?
    public var pointsActive: Bool

    /// The rules' view of this permit.
    public var state: PermitState {
        PermitState(issued: issuedOn, anchor: anchorOn, renewals: renewals,
                    officerCancellation: cancelledOn.map { Cancellation(on: $0, reason: cancelReason ?? .otherLegalGround) })
    }

    mutating func adopt(_ state: PermitState) {
        anchorOn = state.anchor
        renewals = state.renewals
        cancelledOn = state.officerCancellation?.on
        cancelReason = state.officerCancellation?.reason
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
}
