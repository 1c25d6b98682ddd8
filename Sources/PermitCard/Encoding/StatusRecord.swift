import ISO7816
import CardSecurity
import Lifecycle

/// The status codes of EF.STATUS (CARD-SPEC §5.5).
public enum RecordedStatus: UInt8, Sendable, Hashable, Codable, CustomStringConvertible {
    case inForce = 1, suspended = 2, cancelled = 3, replaced = 4

    public var description: String {
        switch self {
        case .inForce: "in force"
        case .suspended: "suspended"
        case .cancelled: "cancelled"
        case .replaced: "replaced (this card is void)"
        }
    }

    /// Cancelled and replaced are final: the card refuses further status and endorsement records.
    public var isFinal: Bool { self == .cancelled || self == .replaced }
}

/// One status change as the card records it: status and reason code together.
public enum StatusChange: Sendable, Hashable {
    case issued
    case restored
    case suspendedOverdue
    case suspendedByOfficer
    case cancelled(CancellationReason)
    case replaced(ReplacementReason)

    public var status: RecordedStatus {
        switch self {
        case .issued, .restored: .inForce
        case .suspendedOverdue, .suspendedByOfficer: .suspended
        case .cancelled: .cancelled
        case .replaced: .replaced
        }
    }

    public var reasonCode: UInt8 {
        switch self {
        case .issued: 0x00
        case .restored: 0x01
        case .suspendedOverdue: 0x10
        case .suspendedByOfficer: 0x11
        case .cancelled(let reason):
            switch reason {
            case .falseDocuments: 0x20
            case .lossOfEligibility: 0x21
            case .localHukou: 0x22
            case .otherLegalGround: 0x23
            case .overdue: 0x24
            }
        case .replaced(let reason):
            switch reason {
            case .lost: 0x30
            case .damaged: 0x31
            case .renewed: 0x32
            }
        }
    }

    /// The change for a status and reason read from a card, or nil when the pair is not defined.
    public init?(status: UInt8, reason: UInt8) {
        let all: [StatusChange] = [.issued, .restored, .suspendedOverdue, .suspendedByOfficer]
            + CancellationReason.allCases.map(StatusChange.cancelled) + ReplacementReason.allCases.map(StatusChange.replaced)
        guard let match = all.first(where: { $0.status.rawValue == status && $0.reasonCode == reason }) else { return nil }
        self = match
    }

    /// Words for the operator, e.g. "cancelled (localHukou)".
    public var summary: String {
        switch self {
        case .issued: "in force (issued)"
        case .restored: "in force (restored by an officer)"
        case .suspendedOverdue: "suspended (overdue: not endorsed by the expiry date)"
        case .suspendedByOfficer: "suspended (by an officer's order)"
        case .cancelled(let reason): "cancelled (\(reason.rawValue))"
        case .replaced(let reason): "replaced (\(reason.rawValue))"
        }
    }
}

/// One EF.STATUS record (CARD-SPEC §5.5), signed by an issuing station; record 1 is the newest.
public struct StatusRecord: SignedCardRecord, Hashable {
    static let kind = SignedRecordKind.status
    static let fileName = "EF.STATUS"
    static let bodyLength = 15

    public var sequence: Int
    public var change: StatusChange
    public var effective: CalendarDate
    public var station: DigitCode
    public var signer: RecordSigner

    var body: [UInt8] {
        [0x01] + bigEndian16(sequence) + [change.status.rawValue, change.reasonCode] + BCD.encode(effective) + station.bcd
    }

    init(
        sequence: Int, change: StatusChange, effective: CalendarDate, station: DigitCode, serial: CardSerial,
        signer credential: some MessageSigner
    ) throws(CardSecurityError) {
        self.sequence = sequence
        self.change = change
        self.effective = effective
        self.station = station
        signer = RecordSigner(keyIdentifier: [], signature: [])
        signer = try Self.sign(body: body, serial: serial, station: credential)
    }

    static func decode(_ record: [UInt8]) throws(CardDataError) -> StatusRecord {
        let (body, signer) = try split(record)
        var cursor = ByteCursor(body)
        guard cursor.byte() == 0x01 else { throw .invalidField("EF.STATUS format", "\(body[0]) is not 01") }
        let sequence = cursor.uint16()
        let (status, reason) = (cursor.byte(), cursor.byte())
        guard let change = StatusChange(status: status, reason: reason) else {
            throw .invalidField("EF.STATUS status", "status \([status].hexString) with reason \([reason].hexString) is not defined")
        }
        return StatusRecord(
            sequence: sequence, change: change, effective: try BCD.requireDate(cursor.take(4), field: "EF.STATUS effective date"),
            station: try DigitCode(bcd: cursor.take(6), field: "EF.STATUS station"), signer: signer)
    }

    private init(sequence: Int, change: StatusChange, effective: CalendarDate, station: DigitCode, signer: RecordSigner) {
        self.sequence = sequence
        self.change = change
        self.effective = effective
        self.station = station
        self.signer = signer
    }
}
