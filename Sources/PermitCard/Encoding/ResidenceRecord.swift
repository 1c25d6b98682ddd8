import ApplicationData
import CardSecurity
import Lifecycle

/// One EF.RESIDENCE slot (CARD-SPEC §5.3): the residence address, signed by an issuing station, bound to
/// the card's status sequence when it was written. The valid slot with the higher sequence number is
/// current; an address change writes the other slot.
public struct ResidenceRecord: SignedCardRecord, Hashable {
    static let kind = SignedRecordKind.residence
    static let fileName = "EF.RESIDENCE"
    static let bodyLength = 151
    static let format: UInt8 = 0x02
    static let addressCapacity = PersonalText.Limit.residenceAddress

    public var sequence: Int
    /// The newest EF.STATUS sequence when this was written.
    public var statusSequence: Int
    public var writtenOn: CalendarDate
    public var registeredSince: CalendarDate
    public var district: DigitCode
    public var address: String
    public var station: DigitCode
    public var signer: RecordSigner

    var body: [UInt8] {
        let text = Array(address.utf8)
        return [Self.format] + bigEndian16(sequence) + bigEndian16(statusSequence) + BCD.encode(writtenOn) + BCD.encode(registeredSince) + district.bcd
            + [UInt8(text.count)] + text + [UInt8](repeating: 0, count: Self.addressCapacity - text.count) + station.bcd
    }

    /// Builds and signs a record.
    init(
        sequence: Int, statusSequence: Int, writtenOn: CalendarDate, address: ResidenceAddress, serial: CardSerial, station: DigitCode,
        signer credential: some MessageSigner
    ) throws(CardSecurityError) {
        self.sequence = sequence
        self.statusSequence = statusSequence
        self.writtenOn = writtenOn
        registeredSince = address.since
        district = address.district
        self.address = address.text
        self.station = station
        signer = RecordSigner(keyIdentifier: [], signature: [])
        signer = try Self.sign(body: body, serial: serial, station: credential)
    }

    /// A slot read from the card: nil when empty (format `00`, all zero).
    static func decode(_ record: [UInt8]) throws(CardDataError) -> ResidenceRecord? {
        if record.allSatisfy({ $0 == 0 }) { return nil }
        let (body, signer) = try split(record)
        var cursor = ByteCursor(body)
        guard cursor.byte() == format else { throw .invalidField("EF.RESIDENCE format", "\(body[0]) is not 02") }
        let sequence = cursor.uint16()
        guard sequence >= 1 else { throw .invalidField("EF.RESIDENCE sequence", "0 is not a sequence number") }
        let statusSequence = cursor.uint16()
        let written = try BCD.requireDate(cursor.take(4), field: "EF.RESIDENCE written on")
        let since = try BCD.requireDate(cursor.take(4), field: "EF.RESIDENCE registered since")
        let district = try DigitCode(bcd: cursor.take(3), field: "EF.RESIDENCE district")
        let length = Int(cursor.byte())
        let field = cursor.take(addressCapacity)
        guard (1...addressCapacity).contains(length), field[length...].allSatisfy({ $0 == 0 }),
              let text = String(validating: field[..<length], as: UTF8.self)
        else { throw .invalidField("EF.RESIDENCE address", "length \(length) and text do not agree, or not UTF-8") }
        let station = try DigitCode(bcd: cursor.take(6), field: "EF.RESIDENCE station")
        return ResidenceRecord(
            sequence: sequence, statusSequence: statusSequence, writtenOn: written, registeredSince: since, district: district, address: text,
            station: station, signer: signer)
    }

    private init(
        sequence: Int, statusSequence: Int, writtenOn: CalendarDate, registeredSince: CalendarDate, district: DigitCode, address: String,
        station: DigitCode, signer: RecordSigner
    ) {
        self.sequence = sequence
        self.statusSequence = statusSequence
        self.writtenOn = writtenOn
        self.registeredSince = registeredSince
        self.district = district
        self.address = address
        self.station = station
        self.signer = signer
    }
}

/// A residence address as an officer enters it.
public struct ResidenceAddress: Sendable, Hashable, Codable {
    /// GB/T 2260 district code.
    public var district: DigitCode
    /// UTF-8, 1-128 bytes.
    public var text: String
    /// Registered at this address since.
    public var since: CalendarDate

    public init(district: DigitCode, text: String, since: CalendarDate) {
        self.district = district
        self.text = text
        self.since = since
    }

    /// The address text and district as ApplicationData checks them (`field` is the path of the address).
    public func check(field: String = "address") throws(FieldProblem) {
        try RegionCode.check(district.digits, field: field + ".district", county: true)
        try PersonalText.check(text, field: field + ".text", maxBytes: PersonalText.Limit.residenceAddress)
    }
}
