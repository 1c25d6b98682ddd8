import CardProfiles

/// A transparent file as the application's commands address it: by SFI, with its size.
struct BinaryFile: Sendable, Hashable {
    let spec: FileSpec
    let sfi: UInt8
    let size: Int

    var name: String { spec.name }
}

/// A record file as the application's commands address it: by SFI, with its record length and count.
struct RecordFile: Sendable, Hashable {
    let spec: FileSpec
    let sfi: UInt8
    let recordLength: Int
    let recordCount: Int

    var name: String { spec.name }
}

/// The application's files (CARD-SPEC §5) with what their commands need, taken from the profile once.
/// Every command of §7 addresses its file by SFI, so a profile file without one, or without the
/// structure its content needs, is refused here with a typed error before anything is sent.
struct ApplicationFiles: Sendable {
    let cardInfo: BinaryFile
    let holder: BinaryFile
    let chipKey: BinaryFile
    let securityObject: BinaryFile
    let residence: RecordFile
    let endorsements: RecordFile
    let status: RecordFile

    init(_ profile: CardProfile) throws(PermitCardError) {
        func spec(_ content: FileContent) throws(PermitCardError) -> (FileSpec, UInt8) {
            guard let spec = profile.files.first(where: { $0.content == content }) else {
                throw .unusableProfile(profile.name, reason: "it has no \(content.rawValue) file")
            }
            guard let sfi = spec.sfi, (1...30).contains(sfi) else {
                throw .unusableProfile(profile.name, reason: "file \(spec.name) has no short identifier (sfi 1-30), and every command addresses its file by one")
            }
            return (spec, UInt8(sfi))
        }
        func binary(_ content: FileContent) throws(PermitCardError) -> BinaryFile {
            let (spec, sfi) = try spec(content)
            guard case .transparent(let size) = spec.structure else {
                throw .unusableProfile(profile.name, reason: "file \(spec.name) must be transparent")
            }
            return BinaryFile(spec: spec, sfi: sfi, size: size)
        }
        func records(_ content: FileContent) throws(PermitCardError) -> RecordFile {
            let (spec, sfi) = try spec(content)
            switch spec.structure {
            case .linearFixed(let length, let count), .linearVariable(let length, let count), .cyclic(let length, let count):
                return RecordFile(spec: spec, sfi: sfi, recordLength: length, recordCount: count)
            case .transparent:
                throw .unusableProfile(profile.name, reason: "file \(spec.name) must be a record file")
            }
        }
        cardInfo = try binary(.cardInfo)
        holder = try binary(.holder)
        chipKey = try binary(.chipPublicKey)
        securityObject = try binary(.securityObject)
        residence = try records(.residence)
        endorsements = try records(.endorsements)
        status = try records(.status)
    }
}
