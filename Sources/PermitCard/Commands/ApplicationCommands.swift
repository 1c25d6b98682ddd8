import CardProfiles
import CardSecurity
import ISO7816

/// Every APDU of the application (CARD-SPEC §7) for one profile, built from its files, keys, PIN
/// reference and APDU limits: operations name the command they want and never assemble bytes. What they
/// send is what `APDUBudget` counts, because the budget runs these same operations.
struct ApplicationCommands: Sendable {
    let profile: CardProfile
    let files: ApplicationFiles

    init(profile: CardProfile) throws(PermitCardError) {
        self.profile = profile
        files = try ApplicationFiles(profile)
    }

    // MARK: Plain

    /// SELECT of the application by AID (§7.1): the FCI.
    func select() throws(PermitCardError) -> PermitCommand {
        try command(.select, p1: 0x04, p2: 0x00, data: profile.card.aid, ne: 256)
    }

    /// GET CHALLENGE (§7.7): 8 random bytes, valid for the next command.
    func getChallenge() throws(PermitCardError) -> PermitCommand {
        try command(.getChallenge, ne: 8)
    }

    /// EXTERNAL AUTHENTICATE with the role key `key` (§7.8); the cryptogram never reaches a trace.
    func externalAuthenticate(_ key: KeySpec, cryptogram: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.externalAuthenticate, p2: UInt8(truncatingIfNeeded: key.number), data: cryptogram, redaction: .commandData)
    }

    /// INTERNAL AUTHENTICATE (§7.10): the chip signs the challenge.
    func internalAuthenticate(challenge: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.internalAuthenticate, data: challenge, ne: 256)
    }

    /// The longest part of `file` one READ BINARY answers under the profile's limits.
    func readChunk(_ file: BinaryFile) -> Int {
        profile.apdu.extendedLength ? min(file.size, profile.apdu.maxResponseData) : min(file.size, 256)
    }

    /// READ BINARY of `file` from `offset` (§7.2): the first by SFI, later parts by offset in the then current EF.
    func readBinary(_ file: BinaryFile, from offset: Int) throws(PermitCardError) -> PermitCommand {
        let (p1, p2): (UInt8, UInt8) = offset == 0 ? (0x80 | file.sfi, 0) : (UInt8(offset >> 8), UInt8(offset & 0xFF))
        return try command(.readBinary, p1: p1, p2: p2, ne: min(readChunk(file), file.size - offset), file: file.name)
    }

    /// READ RECORD of every record from 1 (§7.4, P2 = SFI << 3 | 5).
    func readRecords(_ file: RecordFile) throws(PermitCardError) -> PermitCommand {
        let ne = profile.apdu.extendedLength ? min(65_536, profile.apdu.maxResponseData) : 256
        return try command(.readRecord, p1: 0x01, p2: file.sfi << 3 | 0x05, ne: ne, file: file.name)
    }

    // MARK: Under secure messaging

    /// UPDATE BINARY of `data` at `offset` (§7.3) in as few commands as the profile's limits allow once
    /// wrapped: the first addressed by SFI when the offset fits P2, the rest by offset in the current EF.
    func updateBinary(_ file: BinaryFile, at offset: Int, _ data: [UInt8]) throws(PermitCardError) -> [PermitCommand] {
        let limit = profile.apdu.extendedLength ? profile.apdu.maxCommandData : min(profile.apdu.maxCommandData, 255)
        var chunk = limit - Self.macObject
        while chunk > 0, chunk + Self.objectHeader(chunk) + Self.macObject > limit { chunk -= 1 }
        var commands: [PermitCommand] = []
        for start in stride(from: 0, to: data.count, by: max(chunk, 1)) {
            let position = offset + start
            let (p1, p2): (UInt8, UInt8) = start == 0 && position <= 0xFF
                ? (0x80 | file.sfi, UInt8(position)) : (UInt8(position >> 8), UInt8(position & 0xFF))
            commands.append(try command(
                .updateBinary, p1: p1, p2: p2, data: Array(data[start..<min(data.count, start + chunk)]), file: file.name, protection: .mac))
        }
        return commands
    }

    /// UPDATE RECORD `record` of `file` (§7.5).
    func updateRecord(_ file: RecordFile, record: Int, _ data: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.updateRecord, p1: UInt8(truncatingIfNeeded: record), p2: file.sfi << 3 | 0x04, data: data, file: file.name, protection: .mac)
    }

    /// APPEND RECORD to `file` (§7.6).
    func appendRecord(_ file: RecordFile, _ data: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.appendRecord, p2: file.sfi << 3, data: data, file: file.name, protection: .mac)
    }

    /// VERIFY of the holder PIN, encrypted (§7.9).
    func verify(pin: String) throws(PermitCardError) -> PermitCommand {
        try command(.verify, p2: try pinReference(), data: Array(pin.utf8), protection: .encrypted)
    }

    /// CHANGE REFERENCE DATA: sets the holder PIN at issuance (§7.13).
    func setPIN(_ pin: String) throws(PermitCardError) -> PermitCommand {
        try command(.changeReferenceData, p1: 0x01, p2: try pinReference(), data: Array(pin.utf8), protection: .encrypted)
    }

    /// RESET RETRY COUNTER (§7.14): resets the counter, and sets `newPIN` when given (then encrypted).
    func resetRetryCounter(newPIN: String?) throws(PermitCardError) -> PermitCommand {
        try command(.resetRetryCounter, p1: newPIN == nil ? 0x03 : 0x02, p2: try pinReference(),
                    data: newPIN.map { Array($0.utf8) } ?? [], protection: newPIN == nil ? .mac : .encrypted)
    }

    /// GENERATE ASYMMETRIC KEY PAIR (§7.11): the chip key, answered as EF.CHIPKEY's contents.
    func generateKeyPair() throws(PermitCardError) -> PermitCommand {
        try command(.generateKeyPair, p1: 0x80, ne: ChipKeyFile.length, protection: .mac)
    }

    /// PUT KEY of this card's role key `key` (§7.12, proprietary class), encrypted.
    func putKey(_ key: KeySpec, _ value: CardKey) throws(PermitCardError) -> PermitCommand {
        try command(.putKey, cla: 0x80, p1: UInt8(truncatingIfNeeded: key.version), p2: UInt8(truncatingIfNeeded: key.number),
                    data: value.rawBytes, name: "PUT KEY \(key.name)", protection: .encrypted)
    }

    /// ACTIVATE FILE: FINALISE (§7.15).
    func activateFile() throws(PermitCardError) -> PermitCommand {
        try command(.activateFile, protection: .mac)
    }

    // MARK: Encoding

    /// DO'8E' with its 8-byte MAC, which every protected command carries.
    static let macObject = 10

    /// Tag and length bytes of a data object holding `length` bytes.
    static func objectHeader(_ length: Int) -> Int { length < 128 ? 2 : length < 256 ? 3 : 4 }

    private func pinReference() throws(PermitCardError) -> UInt8 {
        guard let pin = profile.pin else { throw .invalidInput(.invalidField("PIN", "profile \(profile.name) has no holder PIN")) }
        return 0x80 | UInt8(truncatingIfNeeded: pin.reference)
    }

    private func command(
        _ instruction: PermitInstruction, cla: UInt8 = 0x00, p1: UInt8 = 0, p2: UInt8 = 0, data: [UInt8] = [], ne: Int = 0,
        redaction: TraceRedaction = [], file: String? = nil, name: String? = nil, protection: PermitCommand.Protection = .plain
    ) throws(PermitCardError) -> PermitCommand {
        let name = name ?? file.map { "\(instruction) \($0)" } ?? instruction.description
        do {
            let apdu = try CommandAPDU(cla: cla, ins: instruction.rawValue, p1: p1, p2: p2, data: data, ne: ne, redaction: redaction)
            return PermitCommand(name: name, apdu: apdu, protection: protection)
        } catch {
            throw .invalidInput(.invalidLayout(name, "\(error)"))
        }
    }
}
