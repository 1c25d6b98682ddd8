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

    /// The permit as the rules see it, from this card's GET DATA answer (§6 steps 3-6).
    public func permitState(policy: RegionPolicy) throws(CardDataError) -> PermitState {
        guard let state else { throw .invalidLayout("EF.CARD", "not read") }
        return try state.permitState(policy: policy)
    }

    /// What the card's EF.STATUS says (§6 step 6), from its GET DATA answer.
    public func status() throws(CardDataError) -> CardStatus {
        guard let state else { throw .invalidLayout("EF.STATUS", "not read") }
        return try state.status()
    }
}

extension PermitStateData {
    /// The permit as the rules see it, from GET DATA alone (§6 steps 3-6): the issue date, the residence
    /// period and validity the newest endorsement (else EF.CARD) carries, and the cancellation EF.STATUS
    /// records. The same `PermitState` the rules fold a history into and the registry stores; `policy`
    /// turns the card's expiry back into the rules' validity cycle.
    public func permitState(policy: RegionPolicy) throws(CardDataError) -> PermitState {
        guard let personal = try CardInfo(decoding: cardInfo).personalisation else { throw .invalidLayout("EF.CARD", "not personalised") }
        let newest = try newestEndorsement.map { bytes throws(CardDataError) in try EndorsementRecord.decode(bytes) }
        let (since, expiry) = (newest?.anchor ?? personal.anchor, newest?.expiry ?? personal.expiry)
        guard let dated = PermitState(issued: personal.issued, residenceSince: since, expiry: expiry, policy: policy) else {
            throw .invalidField(newest == nil ? "EF.CARD dates" : "EF.ENDORSE dates",
                                "issued \(personal.issued), residence from \(since), valid until \(expiry) are not dates the \(personal.profileName) rules write")
        }
        guard let record = try status().newest, case .cancelled(let reason) = record.change else { return dated }
        return PermitState(issued: dated.issued, cycleStart: dated.cycleStart, renewals: dated.renewals, residenceSince: dated.residenceSince,
                           cancellation: Cancellation(on: record.effective, reason: reason))
    }

    /// What EF.STATUS says (§6 step 6), with the newest endorsement that may have lifted an overdue suspension.
    public func status() throws(CardDataError) -> CardStatus {
        CardStatus(
            newest: try newestStatus.map { bytes throws(CardDataError) in try StatusRecord.decode(bytes) },
            newestEndorsement: try newestEndorsement.map { bytes throws(CardDataError) in try EndorsementRecord.decode(bytes) })
    }

    /// The serial in EF.CARD.
    func serial() throws(CardDataError) -> CardSerial { try CardInfo(decoding: cardInfo).serial }
}

/// What a card's EF.STATUS says (CARD-SPEC §6 step 6): the officers' acts the card records (suspension,
/// restoration, cancellation, replacement of the card). The permit's standing by the rules is
/// `PermitState` (`CardReading.permitState(policy:)`); this is the card's part the rules do not model.
public struct CardStatus: Sendable, Hashable {
    /// The newest status record; nil before the first one (an incomplete card).
    public let newest: StatusRecord?
    /// A late endorsement written under the newest record lifted its overdue suspension (§6 step 6).
    public let liftedByEndorsement: Bool

    /// From the newest endorsement alone: endorsements' status sequences never decrease, so if any
    /// endorsement names the newest status record's sequence, the newest one does.
    public init(newest: StatusRecord?, newestEndorsement: EndorsementRecord?) {
        self.newest = newest
        liftedByEndorsement = newest?.change == .suspendedOverdue && newestEndorsement?.statusSequence == newest?.sequence
    }

    /// The status sequence the next record is written under (0 before the first status record).
    public var sequence: Int { newest?.sequence ?? 0 }

    /// The recorded status after §6 step 6.
    public var recorded: RecordedStatus? {
        liftedByEndorsement ? .inForce : newest?.change.status
    }

    /// Words for the operator.
    public var summary: String {
        if liftedByEndorsement { return "in force (restored by a late endorsement)" }
        return newest?.change.summary ?? "no status recorded"
    }
}
