/// One elementary file of the application.
public struct FileSpec: Sendable, Hashable {
    /// The name other parts of the profile use (e.g. `securityObject.covers`).
    public var name: String
    /// The file identifier (2 bytes) used by SELECT.
    public var fid: UInt16
    /// The short EF identifier (1...30) used by READ/UPDATE with P1/P2 addressing; nil: select it first.
    public var sfi: Int?
    /// What the application stores in it; decides its encoding (docs/CARD-SPEC.md).
    public var content: FileContent
    public var structure: FileStructure
    /// Access rule per operation (`read`, `update`, and `append` for record files).
    public var access: [FileOperation: AccessRule]

    public init(name: String, fid: UInt16, sfi: Int?, content: FileContent, structure: FileStructure, access: [FileOperation: AccessRule]) {
        self.name = name
        self.fid = fid
        self.sfi = sfi
        self.content = content
        self.structure = structure
        self.access = access
    }
}

/// An operation on a file's data.
public enum FileOperation: String, Sendable, Hashable, CaseIterable {
    case read, update, append

    /// The operations a structure supports: APPEND RECORD exists only for record files.
    static func applicable(to structure: FileStructure) -> [FileOperation] {
        if case .transparent = structure { return [.read, .update] }
        return [.read, .update, .append]
    }
}

/// ISO/IEC 7816-4 EF structures with their sizes.
public enum FileStructure: Sendable, Hashable {
    case transparent(size: Int)
    case linearFixed(recordLength: Int, recordCount: Int)
    /// `recordLength` is the longest record allowed.
    case linearVariable(recordLength: Int, recordCount: Int)
    case cyclic(recordLength: Int, recordCount: Int)

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case transparent
        case linearFixed = "linear-fixed"
        case linearVariable = "linear-variable"
        case cyclic
    }

    public var kind: Kind {
        switch self {
        case .transparent: .transparent
        case .linearFixed: .linearFixed
        case .linearVariable: .linearVariable
        case .cyclic: .cyclic
        }
    }

    /// Bytes of data the file can hold.
    public var capacity: Int {
        switch self {
        case .transparent(let size): size
        case .linearFixed(let length, let count), .linearVariable(let length, let count), .cyclic(let length, let count):
            length * count
        }
    }

    /// The record length (fixed, or the maximum), nil for a transparent file.
    public var recordLength: Int? {
        switch self {
        case .transparent: nil
        case .linearFixed(let length, _), .linearVariable(let length, _), .cyclic(let length, _): length
        }
    }
}

/// What a file holds. Each appears exactly once in a profile; its encoding and minimum size are fixed
/// by docs/CARD-SPEC.md, so the profile chooses only identifiers, sizes and access.
public enum FileContent: String, Sendable, Hashable, CaseIterable {
    /// EF.CARD: serial, profile, suite, permit dates (fixed binary). Free to read.
    case cardInfo
    /// EF.HOLDER: holder and permit identity (BER-TLV).
    case holder
    /// EF.RESIDENCE: address records, two slots each signed by the station that wrote it.
    case residence
    /// EF.ENDORSE: one signed record per endorsement, append-only.
    case endorsements
    /// EF.STATUS: signed status records with a counter; the newest wins.
    case status
    /// EF.CHIPKEY: the chip's public key, written by the card itself.
    case chipPublicKey
    /// EF.SOD: the issuing station's signed hashes of the static files, with its certificate.
    case securityObject

    /// The structure the spec's encoding needs.
    public var requiredKind: FileStructure.Kind {
        switch self {
        case .cardInfo, .holder, .chipPublicKey, .securityObject: .transparent
        case .residence, .endorsements: .linearFixed
        case .status: .cyclic
        }
    }

    /// The smallest size (transparent) or record length (records) that holds the spec's encoding.
    public var minimumLength: Int {
        switch self {
        case .cardInfo: CardSpecLayout.cardInfoLength
        case .holder: CardSpecLayout.holderLength
        case .residence: CardSpecLayout.residenceRecordLength
        case .endorsements: CardSpecLayout.endorsementRecordLength
        case .status: CardSpecLayout.statusRecordLength
        case .chipPublicKey: CardSpecLayout.chipPublicKeyLength
        case .securityObject: 1024
        }
    }

    /// The record count the design needs: exactly 2 for the two-slot residence file, at least 2 for status.
    public var requiredRecordCount: ClosedRange<Int>? {
        switch self {
        case .residence: 2...2
        case .status: 2...254
        case .endorsements: 1...254
        case .cardInfo, .holder, .chipPublicKey, .securityObject: nil
        }
    }

    /// Files whose hash the security object must cover (the static ones).
    public var mustBeCoveredBySecurityObject: Bool {
        self == .cardInfo || self == .holder || self == .chipPublicKey
    }
}

/// Fixed byte lengths of the spec's binary layouts (docs/CARD-SPEC.md §4).
public enum CardSpecLayout {
    public static let cardInfoLength = 64
    /// EF.HOLDER's template with every field at its longest.
    public static let holderLength = 409
    public static let residenceRecordLength = 223
    public static let endorsementRecordLength = 95
    public static let statusRecordLength = 87
    public static let chipPublicKeyLength = 67
}
