import CardSecurity
import PermitCard

/// What the intent journal compares: the parts of a card's state a write changes, read from a full
/// reading. An intent stores the snapshot before its write and the one the write should leave; the card
/// read back (at once, or when it is next presented) settles it.
public struct CardSnapshot: Codable, Hashable, Sendable {
    /// The card serial, 16 hex digits.
    public var serial: String
    /// Finalised (life cycle 05): a permit card.
    public var issued: Bool
    /// The newest EF.STATUS record: sequence number, status and reason codes, and its day.
    public var statusSequence: Int
    public var status: UInt8?
    public var reason: UInt8?
    public var statusOn: CalendarDate?
    /// EF.ENDORSE records, and the day of the last one.
    public var endorsements: Int
    public var lastEndorsedOn: CalendarDate?
    /// The current EF.RESIDENCE slot's sequence number and the day it was written.
    public var residenceSequence: Int
    public var residenceWrittenOn: CalendarDate?

    public init(_ reading: CardReading) {
        serial = reading.serial.description
        issued = reading.isComplete
        let status = try? reading.newestStatus()
        statusSequence = status?.sequence ?? 0
        self.status = status?.change.status.rawValue
        reason = status?.change.reasonCode
        statusOn = status?.effective
        let endorsements = (try? reading.endorsements()) ?? []
        self.endorsements = endorsements.count
        lastEndorsedOn = endorsements.last?.endorsedOn
        let residence = (try? reading.currentResidence())??.record
        residenceSequence = residence?.sequence ?? 0
        residenceWrittenOn = residence?.writtenOn
    }

    /// Equal in what a write changes (the days a record carries are what the write gives them).
    public func shows(_ other: CardSnapshot) -> Bool {
        serial == other.serial && issued == other.issued && statusSequence == other.statusSequence && status == other.status
            && reason == other.reason && endorsements == other.endorsements && residenceSequence == other.residenceSequence
    }

    /// After one more status record carrying `change`, effective on `day`.
    func adding(_ change: StatusChange, on day: CalendarDate) -> CardSnapshot {
        var next = self
        next.statusSequence += 1
        next.statusOn = day
        next.status = change.status.rawValue
        next.reason = change.reasonCode
        return next
    }

    /// After one more endorsement record, made on `day`.
    func endorsed(on day: CalendarDate) -> CardSnapshot {
        var next = self
        next.endorsements += 1
        next.lastEndorsedOn = day
        return next
    }

    /// After an address written to the other residence slot on `day`.
    func readdressed(on day: CalendarDate) -> CardSnapshot {
        var next = self
        next.residenceSequence += 1
        next.residenceWrittenOn = day
        return next
    }

    /// A finalised card, as issuance leaves it: the first status record (in force, issued), one residence
    /// record, no endorsement.
    func issuedCard(on day: CalendarDate) -> CardSnapshot {
        var next = self
        next.statusOn = day
        next.residenceWrittenOn = day
        next.issued = true
        next.statusSequence = 1
        next.status = StatusChange.issued.status.rawValue
        next.reason = StatusChange.issued.reasonCode
        next.endorsements = 0
        next.residenceSequence = 1
        return next
    }
}
