import CardSecurity
import Lifecycle

/// Everything a full read of a permit card returns (CARD-SPEC §10.2): the raw bytes as read, kept so
/// that verification can give a verdict on each part even when another part is damaged, and the
/// decoded values of the parts that decode. All of it but the FCI was read inside a chip-authenticated
/// session, under secure messaging.
public struct CardReading: Sendable {
    public let serial: CardSerial
    public let atr: [UInt8]
    public let fci: ApplicationFCI
    /// The permit state (GET DATA): EF.CARD, the newest status and endorsement records, the PIN tries.
    /// Nil when the card is incomplete or did not authenticate.
    public let state: PermitStateData?
    /// EF.HOLDER, EF.SOD and the record files; empty when they were not read.
    public let holderFile: [UInt8]
    public let residenceRecords: [[UInt8]]
    public let endorsementRecords: [[UInt8]]
    public let securityObjectFile: [UInt8]
    /// EF.CHIPKEY as the chip presented it in chip authentication, which it answered for; nil when not made.
    public let chipKeyFile: [UInt8]?
    /// Why the chip or its role authentication failed, when it did: nothing else was read then.
    public let chipFailure: String?

    public init(
        serial: CardSerial, atr: [UInt8], fci: ApplicationFCI, state: PermitStateData?, holderFile: [UInt8] = [],
        residenceRecords: [[UInt8]] = [], endorsementRecords: [[UInt8]] = [], securityObjectFile: [UInt8] = [],
        chipKeyFile: [UInt8]? = nil, chipFailure: String? = nil
    ) {
        self.serial = serial
        self.atr = atr
        self.fci = fci
        self.state = state
        self.holderFile = holderFile
        self.residenceRecords = residenceRecords
        self.endorsementRecords = endorsementRecords
        self.securityObjectFile = securityObjectFile
        self.chipKeyFile = chipKeyFile
        self.chipFailure = chipFailure
    }

    public var isComplete: Bool { fci.isOperational }

    /// EF.CARD as GET DATA gave it.
    public func cardInfo() throws(CardDataError) -> CardInfo {
        guard let state else { throw .invalidLayout("EF.CARD", "not read") }
        return try CardInfo(decoding: state.cardInfo)
    }

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

    /// The newest status record (record 1 of EF.STATUS, from GET DATA), nil before the first one.
    public func newestStatus() throws(CardDataError) -> StatusRecord? {
        try state?.newestStatus.map { bytes throws(CardDataError) in try StatusRecord.decode(bytes) }
    }

    /// The chip key the chip answered for in chip authentication.
    public func chipPublicKey() throws(CardDataError) -> VerifyingKey? {
        guard let file = chipKeyFile else { return nil }
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

extension PermitStateData {
    /// The permit's state from GET DATA alone (§6 steps 3-6): the newest endorsement carries the current
    /// anchor and expiry, and it is the one that would name an overdue suspension's sequence.
    public func standing() throws(CardDataError) -> PermitStanding {
        guard let personal = try CardInfo(decoding: cardInfo).personalisation else { throw .invalidLayout("EF.CARD", "not personalised") }
        let newest = try newestEndorsement.map { bytes throws(CardDataError) in try EndorsementRecord.decode(bytes) }
        return PermitStanding(
            personalisation: personal, newestEndorsement: newest, endorsementCount: endorsementCount,
            status: try newestStatus.map { bytes throws(CardDataError) in try StatusRecord.decode(bytes) })
    }

    /// The serial in EF.CARD.
    func serial() throws(CardDataError) -> CardSerial { try CardInfo(decoding: cardInfo).serial }
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
        self.init(personalisation: personalisation, newestEndorsement: endorsements.last, endorsementCount: endorsements.count, status: status)
    }

    /// From the newest endorsement alone: endorsements' status sequences never decrease, so if any
    /// endorsement names the newest status record's sequence, the newest one does.
    init(personalisation: CardInfo.Personalisation, newestEndorsement: EndorsementRecord?, endorsementCount: Int, status: StatusRecord?) {
        issued = personalisation.issued
        anchor = newestEndorsement?.anchor ?? personalisation.anchor
        expiry = newestEndorsement?.expiry ?? personalisation.expiry
        self.endorsementCount = endorsementCount
        statusChange = status?.change
        statusSequence = status?.sequence ?? 0
        restoredByEndorsement = status?.change == .suspendedOverdue && newestEndorsement?.statusSequence == status?.sequence
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
