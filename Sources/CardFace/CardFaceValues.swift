import Foundation
import PermitVocabulary

/// What the card's two printed sides show, as plain values: the holder and permit from the registry and
/// the card, the card's serial, the photo kept in the registry, and what the rewritable area shows now.
///
/// Rendering knows nothing of where the values came from (no SQLite, no PC/SC): the station reads them,
/// this module only draws them (`CardArtwork.card(_:)`).
public struct CardFaceValues: Sendable, Hashable, Codable {
    public var name: String
    /// Upper-case Latin transcription, printed under the name.
    public var latinName: String?
    /// GB/T 2261.1 code as on the card: `1` male, `2` female, `0` unknown, `9` unstated.
    public var sex: String
    public var birthDate: CalendarDate
    public var permitNumber: String
    public var issuingAuthority: String
    /// The registered residence address.
    public var address: String
    /// The card's serial, 16 hex digits as `CardSerial` prints it; printed and put in the QR code.
    public var cardSerial: String
    /// The holder's photo from the registry: JPEG or PNG bytes (base64 in JSON).
    public var photo: Data
    /// What the rewritable area shows: at issuance the first validity, after an endorsement the new one.
    public var stamp: EndorsementStamp

    public init(
        name: String, latinName: String? = nil, sex: String, birthDate: CalendarDate, permitNumber: String,
        issuingAuthority: String, address: String, cardSerial: String, photo: Data, stamp: EndorsementStamp
    ) {
        self.name = name
        self.latinName = latinName
        self.sex = sex
        self.birthDate = birthDate
        self.permitNumber = permitNumber
        self.issuingAuthority = issuingAuthority
        self.address = address
        self.cardSerial = cardSerial
        self.photo = photo
        self.stamp = stamp
    }

    private enum CodingKeys: String, CodingKey {
        case name, latinName, sex, birthDate, permitNumber, issuingAuthority, address, cardSerial, photo, stamp
    }

    /// A face file (JSON with these keys, dates as `YYYY-MM-DD`) may leave out `photo` (base64) when the
    /// photo comes from a file of its own: the photo is then empty until the caller sets it.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try values.decode(String.self, forKey: .name), latinName: try values.decodeIfPresent(String.self, forKey: .latinName),
            sex: try values.decode(String.self, forKey: .sex), birthDate: try values.decode(CalendarDate.self, forKey: .birthDate),
            permitNumber: try values.decode(String.self, forKey: .permitNumber),
            issuingAuthority: try values.decode(String.self, forKey: .issuingAuthority), address: try values.decode(String.self, forKey: .address),
            cardSerial: try values.decode(String.self, forKey: .cardSerial), photo: try values.decodeIfPresent(Data.self, forKey: .photo) ?? Data(),
            stamp: try values.decode(EndorsementStamp.self, forKey: .stamp))
    }

    /// The words printed for the sex code, Chinese then English.
    var sexWords: (chinese: String, english: String)? {
        switch sex {
        case "1": ("男", "M")
        case "2": ("女", "F")
        case "0": ("未知", "-")
        case "9": ("未说明", "-")
        default: nil
        }
    }

    /// Checks what the drawing relies on, naming the field and what to fix.
    func validate() throws(CardFaceError) {
        func required(_ value: String, _ field: String) throws(CardFaceError) {
            if value.allSatisfy(\.isWhitespace) { throw .invalidValue(field: field, problem: "is empty") }
        }
        try required(name, "name")
        if let latinName { try required(latinName, "Latin name") }
        guard sexWords != nil else {
            throw .invalidValue(field: "sex", problem: "\"\(sex)\" is not a GB/T 2261.1 code (1 male, 2 female, 0 unknown, 9 unstated)")
        }
        try required(permitNumber, "permit number")
        try required(issuingAuthority, "issuing authority")
        try required(address, "address")
        try CardCode(cardSerial: cardSerial, permitNumber: permitNumber).validate()
        try stamp.validate()
    }
}

/// What the endorsement stamp prints in the card's rewritable area: the permit's validity, the station that
/// endorsed it and the day. The same drawing fills the area on the full back side and on a stamp-only page.
public struct EndorsementStamp: Sendable, Hashable, Codable {
    /// First day of the validity (the permit's anchor).
    public var anchor: CalendarDate
    /// Last day of the validity (the permit's expiry).
    public var expiry: CalendarDate
    /// The endorsing station as printed, e.g. its name ("杭州市公安局上城区分局湖滨派出所").
    public var station: String
    /// The day of the endorsement (at issuance: the issue day).
    public var endorsedOn: CalendarDate

    public init(anchor: CalendarDate, expiry: CalendarDate, station: String, endorsedOn: CalendarDate) {
        self.anchor = anchor
        self.expiry = expiry
        self.station = station
        self.endorsedOn = endorsedOn
    }

    func validate() throws(CardFaceError) {
        guard anchor < expiry else {
            throw .invalidValue(field: "stamp validity", problem: "starts \(anchor), after or on its end \(expiry)")
        }
        if station.allSatisfy(\.isWhitespace) { throw .invalidValue(field: "stamp station", problem: "is empty") }
    }
}
