import Crypto
import Foundation
import GRDB
import Lifecycle

/// What an application keeps for its card beyond the registry's own columns: the holder's particulars the
/// card carries (EF.HOLDER), the district of the address (EF.RESIDENCE), and the holder's photo, whose
/// SHA-256 the card carries (EF.HOLDER tag `8A`) while the photo itself stays here.
public struct ApplicationCardData: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "application_card_data"
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }

    /// The application's id.
    public var id: Int64
    /// GB/T 2261.1: `1` male, `2` female, `0` unknown, `9` unstated.
    public var sex: String
    public var latinName: String?
    /// GB 3304, two digits.
    public var ethnicGroup: String?
    public var householdAddress: String?
    /// GB/T 2260 district of the residence address.
    public var district: String
    public var photo: Data
    /// `image/jpeg` or `image/png`.
    public var photoType: String
    public var photoSha256: Data

    /// The particulars of a new application; the digest is computed here.
    public init(sex: String, latinName: String?, ethnicGroup: String?, householdAddress: String?, district: String, photo: Data, photoType: String) {
        id = 0
        self.sex = sex
        self.latinName = latinName
        self.ethnicGroup = ethnicGroup
        self.householdAddress = householdAddress
        self.district = district
        self.photo = photo
        self.photoType = photoType
        photoSha256 = Data(SHA256.hash(data: photo))
    }
}

/// The GB/T 2260 district of a residence address written to a card (`address_districts`).
struct AddressDistrict: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "address_districts"
    /// The `address_changes` row's id.
    var id: Int64
    var district: String
}

extension Registry {
    /// Records an accepted application and what its card will carry, in one transaction.
    public func accept(_ new: NewApplication, cardData: ApplicationCardData, actor: String) throws(RegistryError) -> Application {
        try write(actor: actor) { db, _ in
            let application = try self.accept(new, actor: actor)
            var data = cardData
            data.id = application.id!
            try data.insert(db)
            return application
        }
    }

    /// Application `id` and its holder.
    public func application(id: Int64) throws(RegistryError) -> (Application, Holder)? {
        try read { db in
            guard let application = try Application.fetchOne(db, key: id), let holder = try Holder.fetchOne(db, key: application.holderId) else { return nil }
            return (application, holder)
        }
    }

    /// What the card of application `id` carries besides the registry's columns; nil for an application taken
    /// without it (an import).
    public func cardData(application id: Int64) throws(RegistryError) -> ApplicationCardData? {
        try read { db in try ApplicationCardData.fetchOne(db, key: id) }
    }

    /// The replacement of `card` by another card, once there is one.
    public func replacement(of card: Card) throws(RegistryError) -> CardReplacement? {
        try read { db in try CardReplacement.filter(Column("old_card_id") == card.id).fetchOne(db) }
    }

    /// Keeps the district of a residence address given to a card, beside its address change.
    public func recordDistrict(_ district: String, of change: AddressChange) throws(RegistryError) {
        try write(actor: change.actor) { db, _ in
            guard let id = change.id else { throw RegistryError.invalid(field: "address change", value: "", problem: "is not recorded") }
            try AddressDistrict(id: id, district: district).insert(db)
        }
    }

    /// The district of the permit's current residence address: of its newest address change (nil when that
    /// change was recorded without one), else of its application.
    public func currentDistrict(permit id: Int64) throws(RegistryError) -> String? {
        try read { db in
            if let newest = try Row.fetchOne(db, sql: """
                SELECT d.district FROM address_changes c LEFT JOIN address_districts d ON d.id = c.id
                WHERE c.permit_id = ? AND c.kind = 'residence' ORDER BY c.id DESC LIMIT 1
                """, arguments: [id]) { return newest[0] as String? }
            return try String.fetchOne(db, sql: """
                SELECT d.district FROM permits p JOIN application_card_data d ON d.id = p.application_id WHERE p.id = ?
                """, arguments: [id])
        }
    }
}
