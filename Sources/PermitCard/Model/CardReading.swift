import CardSecurity
import Lifecycle

/// Everything a full read of a permit card returns (CARD-SPEC §10.2): the raw bytes as read, kept so
/// that verification can give a verdict on each part even when another part is damaged, and the
/// decoded values of the parts that decode.
public struct CardReading: Sendable {
    public let serial: CardSerial
    public let atr: [UInt8]
    public let fci: ApplicationFCI
    /// EF.HOLDER, EF.SOD and the record files; empty when the card is incomplete and they were not read.
    public let holderFile: [UInt8]
    public let residenceRecords: [[UInt8]]
    public let endorsementRecords: [[UInt8]]
    public let securityObjectFile: [UInt8]
    /// The INTERNAL AUTHENTICATE exchange (challenge sent, signature received), nil when not made.
    public let chipChallenge: [UInt8]?
    public let chipResponse: [UInt8]?

    public init(
        serial: CardSerial, atr: [UInt8], fci: ApplicationFCI, holderFile: [UInt8], residenceRecords: [[UInt8]], endorsementRecords: [[UInt8]],
        securityObjectFile: [UInt8], chipChallenge: [UInt8]?, chipResponse: [UInt8]?
    ) {
        self.serial = serial
        self.atr = atr
        self.fci = fci
        self.holderFile = holderFile
        self.residenceRecords = residenceRecords
        self.endorsementRecords = endorsementRecords
        self.securityObjectFile = securityObjectFile
        self.chipChallenge = chipChallenge
        self.chipResponse = chipResponse
    }

    public var isComplete: Bool { fci.isOperational }

    public func cardInfo() throws(CardDataError) -> CardInfo { try CardInfo(decoding: fci.cardInfo) }

    public func holder() throws(CardDataError) -> HolderIdentity { try HolderIdentity(decoding: holderFile) }

    /// Both residence slots in record order (nil: empty slot).
    public func residenceSlots() throws(CardDataError) -> [ResidenceRecord?] {
        var slots: [ResidenceRecord?] = []
        for record in residenceRecords { slots.append(try ResidenceRecord.decode(record)) }
        return slots
    }

    /// The current residence: the slot with the higher sequence number (§5.3).
    public func currentResidence() throws(CardDataError) -> (slot: Int, record: ResidenceRecord)? {
        let slots = try residenceSlots()
        return slots.enumerated().compactMap { index, record in record.map { (index + 1, $0) } }.max { $0.1.sequence < $1.1.sequence }
    }

    public func endorsements() throws(CardDataError) -> [EndorsementRecord] {
        var records: [EndorsementRecord] = []
        for record in endorsementRecords { records.append(try EndorsementRecord.decode(record)) }
        return records
    }

    /// The newest status record (FCI C3), nil before the first one.
    public func newestStatus() throws(CardDataError) -> StatusRecord? {
        try fci.newestStatus.map { bytes throws(CardDataError) in try StatusRecord.decode(bytes) }
    }

    public func chipPublicKey() throws(CardDataError) -> VerifyingKey? {
        guard let file = fci.chipKeyFile else { return nil }
        do { return try ChipKeyFile.decode(file) } catch { throw .invalidField("EF.CHIPKEY", "\(error)") }
    }

    public func securityObject() throws(CardDataError) -> SignedSecurityObject {
        do { return try SignedSecurityObject(decoding: securityObjectFile) } catch {
            throw .invalidLayout("EF.SOD", "\(error)")
        }
    }

    /// The permit's state as read from this card (§6 steps 3-6), without today's date.
    public func standing() throws(CardDataError) -> PermitStanding {
        let info = try cardInfo()
        guard let personal = info.personalisation else { throw .invalidLayout("EF.CARD", "not personalised") }
        return PermitStanding(personalisation: personal, endorsements: try endorsements(), status: try newestStatus())
    }
}

/// The permit's recorded state on a card (CARD-SPEC §6): residence-period anchor and expiry now, recorded status.
public struct PermitStanding: Sendable, Hashable {
    public let issued: CalendarDate
    public let anchor: CalendarDate
    public let expiry: CalendarDate
    public let endorsementCount: Int
    /// The newest status record's change; nil before the first one (an incomplete card).
    public let statusChange: StatusChange?
    public let statusSequence: Int
    /// A late endorsement with this status sequence restored an overdue suspension (§6 step 6).
    public let restoredByEndorsement: Bool

    init(personalisation: CardInfo.Personalisation, endorsements: [EndorsementRecord], status: StatusRecord?) {
        issued = personalisation.issued
        anchor = endorsements.last?.anchor ?? personalisation.anchor
        expiry = endorsements.last?.expiry ?? personalisation.expiry
        endorsementCount = endorsements.count
        statusChange = status?.change
        statusSequence = status?.sequence ?? 0
        restoredByEndorsement = status?.change == .suspendedOverdue
            && endorsements.contains { $0.statusSequence == status?.sequence }
    }

    /// The recorded status after §6 step 6.
    public var recordedStatus: RecordedStatus? {
        if restoredByEndorsement { return .inForce }
        return statusChange?.status
    }

    /// Today's status (§6 step 7): the recorded one, unless the calendar has moved it on (past the expiry, or
    /// overdue beyond the region's limit); `nil` when the card's dates are not ones the rules write.
    public func status(on date: CalendarDate, policy: RegionPolicy) -> PermitStatus? {
        let byCalendar = lifecycleState(policy: policy)?.status(on: date, policy: policy)
        switch recordedStatus {
        case .cancelled?, .replaced?: return .cancelled
        case .suspended?: return byCalendar == .cancellationDue ? .cancellationDue : .suspended
        case nil, .inForce?: return byCalendar
        }
    }

    /// The rules' view of the card's dates: issue date, residence period (the anchor) and validity (the expiry),
    /// which the card carries separately; `nil` when the expiry is not one the region's rules reach from them.
    public func lifecycleState(policy: RegionPolicy) -> PermitState? {
        PermitState(issued: issued, residenceSince: anchor, expiry: expiry, policy: policy)
    }

    /// Words for the operator.
    public var summary: String {
        if restoredByEndorsement { return "in force (restored by a late endorsement)" }
        return statusChange?.summary ?? "no status recorded"
    }
}
