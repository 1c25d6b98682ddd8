import ApplicationData
import CardSecurity
import Foundation
import PermitCard
import Registry

/// An application as the officer takes it at the desk: the holder, the residence address (and the day the
/// holder registered there, from which the minimum residence counts), why the holder qualifies, the
/// documents seen and the holder's photo.
public struct ApplicationForm: Sendable {
    public var profile: String
    public var name: String
    public var latinName: String?
    /// GB/T 2261.1: `1` male, `2` female, `0` unknown, `9` unstated.
    public var sex: String
    public var citizenID: String
    /// GB 3304, two digits.
    public var ethnicGroup: String?
    public var householdAddress: String?
    /// The residence address; `since` is the day of residence registration (居住登记).
    public var address: ResidenceAddress
    public var grounds: EligibilityGrounds
    public var documents: String
    public var talentException: Bool
    public var workplace: String?
    public var photo: Data

    public init(profile: String, name: String, latinName: String?, sex: String, citizenID: String, ethnicGroup: String?,
                householdAddress: String?, address: ResidenceAddress, grounds: EligibilityGrounds, documents: String,
                talentException: Bool = false, workplace: String? = nil, photo: Data) {
        self.profile = profile
        self.name = name
        self.latinName = latinName
        self.sex = sex
        self.citizenID = citizenID
        self.ethnicGroup = ethnicGroup
        self.householdAddress = householdAddress
        self.address = address
        self.grounds = grounds
        self.documents = documents
        self.talentException = talentException
        self.workplace = workplace
        self.photo = photo
    }

    /// The largest photo kept (bytes): a 358 × 441 passport photo as JPEG is about 20 KB.
    public static let photoLimit = 48 * 1024

    /// The photo's media type from its first bytes: JPEG or PNG, nothing else.
    static func photoType(_ photo: Data) throws(FieldProblem) -> String {
        guard !photo.isEmpty else { throw FieldProblem("photo", "is empty; give the holder's photo as a JPEG or PNG file.") }
        guard photo.count <= photoLimit else {
            throw FieldProblem("photo", "is \(photo.count) bytes, more than the \(photoLimit) kept; scale it down (a passport photo as JPEG is about 20 KB).")
        }
        if photo.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if photo.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        throw FieldProblem("photo", "is neither a JPEG nor a PNG image; give the holder's photo in one of these.")
    }

    /// The holder as the card will carry it, checked as the card checks it (ApplicationData), with the
    /// permit number and the photo digest the issuance fills in.
    func holder(authority: String, station: DigitCode, permitNumber: String, photoDigest: [UInt8]?) throws(FieldProblem) -> HolderIdentity {
        let id: CitizenID
        do throws(CitizenID.Problem) { id = try CitizenID(citizenID) } catch { throw FieldProblem("holder.citizenID", error.description) }
        let holder = HolderIdentity(
            name: name, latinName: latinName, sex: sex, birthDate: id.birthDate, ethnicGroup: ethnicGroup, citizenID: id,
            householdAddress: householdAddress, permitNumber: permitNumber, issuingAuthority: authority, authorityStation: station,
            photoDigest: photoDigest)
        try holder.check()
        return holder
    }
}
