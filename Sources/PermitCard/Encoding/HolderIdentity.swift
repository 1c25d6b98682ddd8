import ApplicationData
import ISO7816
import CardSecurity
import Lifecycle

/// EF.HOLDER (CARD-SPEC §5.2): one BER-TLV template `65` with data objects in ascending tag order,
/// then `00` padding to the file size. Decoding refuses unknown tags, duplicates, wrong order and
/// wrong lengths, so a reader never guesses.
public struct HolderIdentity: Sendable, Hashable, Codable {
    public var name: String
    public var latinName: String?
    /// GB/T 2261.1: `1` male, `2` female, `0` unknown, `9` unstated.
    public var sex: String
    public var birthDate: CalendarDate
    /// GB 3304 ethnic group, 2 digits.
    public var ethnicGroup: String?
    /// Checked as GB 11643 requires (check character and birth date).
    public var citizenID: CitizenID
    public var householdAddress: String?
    public var permitNumber: String
    public var issuingAuthority: String
    public var authorityStation: DigitCode
    /// Suite hash of the photo kept in the registry.
    public var photoDigest: [UInt8]?

    public init(
        name: String, latinName: String? = nil, sex: String, birthDate: CalendarDate, ethnicGroup: String? = nil,
        citizenID: CitizenID, householdAddress: String? = nil, permitNumber: String, issuingAuthority: String,
        authorityStation: DigitCode, photoDigest: [UInt8]? = nil
    ) {
        self.name = name
        self.latinName = latinName
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicGroup = ethnicGroup
        self.citizenID = citizenID
        self.householdAddress = householdAddress
        self.permitNumber = permitNumber
        self.issuingAuthority = issuingAuthority
        self.authorityStation = authorityStation
        self.photoDigest = photoDigest
    }

    /// What each field allows (ApplicationData's one validation), checked before anything is written.
    public func check() throws(FieldProblem) {
        try PersonalText.check(name, field: "holder.name", maxBytes: PersonalText.Limit.name)
        try PersonalText.check(latinName, field: "holder.latinName", maxBytes: PersonalText.Limit.latinName)
        if let latinName, !latinName.allSatisfy({ $0.isASCII && !$0.isLowercase }) {
            throw FieldProblem("holder.latinName", "\"\(latinName)\" must be in upper-case ASCII letters, as in a passport (ZHANG WEI).")
        }
        guard ["0", "1", "2", "9"].contains(sex) else {
            throw FieldProblem("holder.sex", "\"\(sex)\" is not 0, 1, 2 or 9 (GB/T 2261.1: 1 male, 2 female, 0 unknown, 9 unstated).")
        }
        if let ethnicGroup, ethnicGroup.count != 2 || !ethnicGroup.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw FieldProblem("holder.ethnicGroup", "\"\(ethnicGroup)\" is not a 2-digit ethnic group code (GB 3304, for example 01).")
        }
        try RegionCode.check(citizenID.regionCode, field: "holder.citizenID (characters 1-6)", county: false)
        try ApplicationCheck.birthDate(birthDate, matches: citizenID, field: "holder.birthDate")
        try PersonalText.check(householdAddress, field: "holder.householdAddress", maxBytes: PersonalText.Limit.householdAddress)
        guard (1...20).contains(permitNumber.utf8.count), permitNumber.allSatisfy(\.isASCII) else {
            throw FieldProblem("holder.permitNumber", "\"\(permitNumber)\" must be 1 to 20 ASCII characters.")
        }
        try PersonalText.check(issuingAuthority, field: "holder.issuingAuthority", maxBytes: PersonalText.Limit.issuingAuthority)
        if let photoDigest, photoDigest.count != 32 { throw FieldProblem("holder.photoDigest", "must be 32 bytes (a SHA-256 digest).") }
    }

    /// The same checks, for data read from a card.
    func validate() throws(CardDataError) {
        do throws(FieldProblem) { try check() } catch { throw .invalidField(error.field, error.problem) }
    }

    /// The `65` template (without padding).
    public func template() throws(CardDataError) -> [UInt8] {
        try validate()
        var objects: [TLV] = [TLV(0x80, Array(name.utf8))]
        if let latinName { objects.append(TLV(0x81, Array(latinName.utf8))) }
        objects.append(TLV(0x82, Array(sex.utf8)))
        objects.append(TLV(0x83, BCD.encode(birthDate)))
        if let ethnicGroup { objects.append(TLV(0x84, Array(ethnicGroup.utf8))) }
        objects.append(TLV(0x85, Array(citizenID.text.utf8)))
        if let householdAddress { objects.append(TLV(0x86, Array(householdAddress.utf8))) }
        objects.append(TLV(0x87, Array(permitNumber.utf8)))
        objects.append(TLV(0x88, Array(issuingAuthority.utf8)))
        objects.append(TLV(0x89, authorityStation.bcd))
        if let photoDigest { objects.append(TLV(0x8A, photoDigest)) }
        return TLV(0x65, objects.flatMap(\.encoded)).encoded
    }

    /// The whole file: template then `00` up to `size`.
    public func fileContents(size: Int) throws(CardDataError) -> [UInt8] {
        let template = try template()
        guard template.count <= size else { throw .invalidLayout("EF.HOLDER", "the holder data takes \(template.count) bytes, the file has \(size)") }
        return template + [UInt8](repeating: 0, count: size - template.count)
    }

    public init(decoding file: [UInt8]) throws(CardDataError) {
        let template: TLV
        let end: Int
        do { (template, end) = try TLV.decodeOne(file, at: 0, what: "EF.HOLDER") } catch {
            throw .invalidLayout("EF.HOLDER", "no 65 template at the start of the file")
        }
        guard template.tag == [0x65] else { throw .invalidLayout("EF.HOLDER", "starts with tag \(template.tag.hexString), not 65") }
        guard file[end...].allSatisfy({ $0 == 0 }) else { throw .invalidLayout("EF.HOLDER", "bytes after the template are not 00 padding") }
        let objects: [TLV]
        do { objects = try TLV.decodeAll(template.value, what: "EF.HOLDER template") } catch {
            throw .invalidLayout("EF.HOLDER", "the template's data objects do not decode")
        }
        var values: [UInt8: [UInt8]] = [:]
        var previous: UInt8 = 0
        for object in objects {
            guard object.tag.count == 1, (0x80...0x8A).contains(object.tag[0]) else {
                throw .invalidLayout("EF.HOLDER", "unknown tag \(object.tag.hexString)")
            }
            guard object.tag[0] > previous else { throw .invalidLayout("EF.HOLDER", "tag \(object.tag.hexString) out of order or repeated") }
            previous = object.tag[0]
            values[object.tag[0]] = object.value
        }
        func utf8(_ tag: UInt8) throws(CardDataError) -> String? {
            guard let bytes = values[tag] else { return nil }
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidField("holder tag \([tag].hexString)", "not UTF-8") }
            return text
        }
        func required(_ tag: UInt8, _ field: String) throws(CardDataError) -> [UInt8] {
            guard let bytes = values[tag] else { throw .invalidField("holder \(field)", "missing (tag \([tag].hexString))") }
            return bytes
        }
        let birth = try required(0x83, "date of birth")
        guard birth.count == 4 else { throw .invalidField("holder date of birth", "not 4 bytes") }
        let citizenID: CitizenID
        let idText = try utf8(0x85) ?? ""
        do throws(CitizenID.Problem) { citizenID = try CitizenID(idText) } catch {
            throw .invalidField("holder citizen ID", error.description)
        }
        let station = try required(0x89, "authority station code")
        guard station.count == 6 else { throw .invalidField("holder authority station code", "not 6 bytes") }
        self.init(
            name: try utf8(0x80) ?? "", latinName: try utf8(0x81), sex: try utf8(0x82) ?? "",
            birthDate: try BCD.requireDate(birth, field: "holder date of birth"), ethnicGroup: try utf8(0x84),
            citizenID: citizenID, householdAddress: try utf8(0x86), permitNumber: try utf8(0x87) ?? "",
            issuingAuthority: try utf8(0x88) ?? "", authorityStation: try DigitCode(bcd: station, field: "holder authority station code"),
            photoDigest: values[0x8A])
        try validate()
    }
}
