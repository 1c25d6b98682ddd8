import CardSecurity
import Lifecycle

/// One EF.ENDORSE record (CARD-SPEC §5.4), appended by an endorsing station or kiosk and never
/// changed. It carries the anchor and expiry it leaves, so an endorsement is one atomic write.
public struct EndorsementRecord: SignedCardRecord, Hashable {
    static let kind = SignedRecordKind.endorsement
    static let fileName = "EF.ENDORSE"
    static let bodyLength = 23

    public var number: Int
    public var endorsementClass: EndorsementClass
    /// The newest EF.STATUS sequence when this was written.
    public var statusSequence: Int
    public var endorsedOn: CalendarDate
    public var anchor: CalendarDate
    public var expiry: CalendarDate
    public var station: DigitCode
    public var signer: RecordSigner

    var body: [UInt8] {
        [0x01, UInt8(number), endorsementClass.cardCode] + bigEndian16(statusSequence) + BCD.encode(endorsedOn)
            + BCD.encode(anchor) + BCD.encode(expiry) + station.bcd
    }

    init(
        number: Int, endorsementClass: EndorsementClass, statusSequence: Int, endorsedOn: CalendarDate, anchor: CalendarDate,
        expiry: CalendarDate, station: DigitCode, serial: CardSerial, signer credential: some MessageSigner
    ) throws(CardSecurityError) {
        self.number = number
        self.endorsementClass = endorsementClass
        self.statusSequence = statusSequence
        self.endorsedOn = endorsedOn
        self.anchor = anchor
        self.expiry = expiry
        self.station = station
        signer = RecordSigner(keyIdentifier: [], signature: [])
        signer = try Self.sign(body: body, serial: serial, station: credential)
    }

    static func decode(_ record: [UInt8]) throws(CardDataError) -> EndorsementRecord {
        let (body, signer) = try split(record)
        var cursor = ByteCursor(body)
        guard cursor.byte() == 0x01 else { throw .invalidField("EF.ENDORSE format", "\(body[0]) is not 01") }
        let number = Int(cursor.byte())
        guard let endorsementClass = EndorsementClass(cardCode: cursor.byte()) else { throw .invalidField("EF.ENDORSE class", "\(body[2]) is not 01-03") }
        return EndorsementRecord(
            number: number, endorsementClass: endorsementClass, statusSequence: cursor.uint16(),
            endorsedOn: try BCD.requireDate(cursor.take(4), field: "EF.ENDORSE date"),
            anchor: try BCD.requireDate(cursor.take(4), field: "EF.ENDORSE anchor"),
            expiry: try BCD.requireDate(cursor.take(4), field: "EF.ENDORSE expiry"),
            station: try DigitCode(bcd: cursor.take(6), field: "EF.ENDORSE station"), signer: signer)
    }

    private init(
        number: Int, endorsementClass: EndorsementClass, statusSequence: Int, endorsedOn: CalendarDate, anchor: CalendarDate,
        expiry: CalendarDate, station: DigitCode, signer: RecordSigner
    ) {
        self.number = number
        self.endorsementClass = endorsementClass
        self.statusSequence = statusSequence
        self.endorsedOn = endorsedOn
        self.anchor = anchor
        self.expiry = expiry
        self.station = station
        self.signer = signer
    }
}

extension EndorsementClass {
    /// The EF.ENDORSE class byte: `01` timely, `02` late keeping continuity, `03` late, counted afresh.
    var cardCode: UInt8 {
        switch self {
        case .timely: 0x01
        case .lateContinuous: 0x02
        case .lateReset: 0x03
        }
    }

    init?(cardCode: UInt8) {
        guard let match = Self.allCases.first(where: { $0.cardCode == cardCode }) else { return nil }
        self = match
    }
}
