import CardProfiles
import CardSecurity
import ISO7816

/// Every APDU of the application (CARD-SPEC §7) for one profile, built from its files, keys, PIN
/// reference and APDU limits: operations name the command they want and never assemble bytes. What they
/// send is what `APDUBudget` counts, because the budget runs these same operations.
///
/// SELECT and GENERAL AUTHENTICATE are plain; every other command is built plain here and travels under
/// the session's secure messaging (`ApplicationSession.exchange`), its data encrypted.
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
        try command(.select, p1: 0x04, p2: 0x00, data: profile.card.aid, ne: 256, protection: .plain)
    }

    /// GENERAL AUTHENTICATE (§7.7): chip authentication with the terminal's ephemeral key and nonce.
    func generalAuthenticate(_ data: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.generalAuthenticate, data: data, ne: 256, protection: .plain)
    }

    // MARK: Under secure messaging

    /// EXTERNAL AUTHENTICATE with the role key `key` in `version` (§7.8); the cryptogram never reaches a trace.
    func externalAuthenticate(_ key: KeySpec, version: UInt8, cryptogram: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.externalAuthenticate, p1: version, p2: UInt8(truncatingIfNeeded: key.number), data: cryptogram,
                    ne: RoleAuthentication.cryptogramLength, redaction: .commandData)
    }

    /// GET DATA of the permit state (§7.18).
    func getState() throws(PermitCardError) -> PermitCommand {
        try command(.getData, p1: 0x01, p2: 0x00, ne: profile.apdu.extendedLength ? min(65_536, profile.apdu.maxResponseData) : 256, name: "GET DATA permit state")
    }

    /// The longest part of `file` one READ BINARY answers under the profile's limits (a short answer
    /// must still fit 256 bytes once wrapped in secure messaging).
    func readChunk(_ file: BinaryFile) -> Int {
        profile.apdu.extendedLength
            ? min(file.size, profile.apdu.maxResponseData)
            : min(file.size, profile.apdu.maxResponseData, ProtectedCommand.largestShortResponse)
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

    /// UPDATE BINARY of `data` at `offset` (§7.3) in as few commands as the profile's limits allow once
    /// encrypted and wrapped: the first addressed by SFI when the offset fits P2, the rest by offset in the current EF.
    func updateBinary(_ file: BinaryFile, at offset: Int, _ data: [UInt8]) throws(PermitCardError) -> [PermitCommand] {
        let limit = profile.apdu.extendedLength ? profile.apdu.maxCommandData : min(profile.apdu.maxCommandData, 255)
        var chunk = limit
        while chunk > 1, Self.protectedLength(chunk) > limit { chunk -= 1 }
        var commands: [PermitCommand] = []
        for start in stride(from: 0, to: data.count, by: chunk) {
            let position = offset + start
            let (p1, p2): (UInt8, UInt8) = start == 0 && position <= 0xFF
                ? (0x80 | file.sfi, UInt8(position)) : (UInt8(position >> 8), UInt8(position & 0xFF))
            commands.append(try command(.updateBinary, p1: p1, p2: p2, data: Array(data[start..<min(data.count, start + chunk)]), file: file.name))
        }
        return commands
    }

    /// UPDATE RECORD `record` of `file` (§7.5).
    func updateRecord(_ file: RecordFile, record: Int, _ data: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.updateRecord, p1: UInt8(truncatingIfNeeded: record), p2: file.sfi << 3 | 0x04, data: data, file: file.name)
    }

    /// APPEND RECORD to `file` (§7.6).
    func appendRecord(_ file: RecordFile, _ data: [UInt8]) throws(PermitCardError) -> PermitCommand {
        try command(.appendRecord, p2: file.sfi << 3, data: data, file: file.name)
    }

    /// VERIFY of the holder PIN (§7.9).
    func verify(pin: String) throws(PermitCardError) -> PermitCommand {
        try command(.verify, p2: try pinReference(), data: Array(pin.utf8), redaction: .commandData)
    }

    /// CHANGE REFERENCE DATA: sets the holder PIN at issuance (§7.13).
    func setPIN(_ pin: String) throws(PermitCardError) -> PermitCommand {
        try command(.changeReferenceData, p1: 0x01, p2: try pinReference(), data: Array(pin.utf8), redaction: .commandData)
    }

    /// CHANGE REFERENCE DATA: sets the holder's PUK at issuance (§7.13).
    func setPUK(_ puk: String) throws(PermitCardError) -> PermitCommand {
        guard let policy = profile.pin?.puk else { throw .invalidInput(.invalidField("PUK", "profile \(profile.name) has no PUK")) }
        return try command(.changeReferenceData, p1: 0x01, p2: 0x80 | UInt8(truncatingIfNeeded: policy.reference), data: Array(puk.utf8),
                           redaction: .commandData, name: "CHANGE REFERENCE DATA (PUK)")
    }

    /// CHANGE REFERENCE DATA with the old PIN: the holder replaces it (§7.13); the old PIN is padded with
    /// `FF` to the policy's longest.
    func changePIN(old: String, new: String) throws(PermitCardError) -> PermitCommand {
        let longest = profile.pin?.maxLength ?? old.utf8.count
        let padded = Array(old.utf8) + [UInt8](repeating: 0xFF, count: max(0, longest - old.utf8.count))
        return try command(.changeReferenceData, p1: 0x00, p2: try pinReference(), data: padded + Array(new.utf8), redaction: .commandData)
    }

    /// RESET RETRY COUNTER with the holder's PUK (§7.14): resets the counter, and sets `newPIN` when given.
    func resetRetryCounter(puk: String, newPIN: String?) throws(PermitCardError) -> PermitCommand {
        try command(.resetRetryCounter, p1: newPIN == nil ? 0x01 : 0x00, p2: try pinReference(),
                    data: Array(puk.utf8) + Array((newPIN ?? "").utf8), redaction: .commandData)
    }

    /// PUT KEY of this card's role key `key` in `version` (§7.12, proprietary class).
    func putKey(_ key: KeySpec, version: Int, _ value: CardKey) throws(PermitCardError) -> PermitCommand {
        try command(.putKey, cla: 0x80, p1: UInt8(truncatingIfNeeded: version), p2: UInt8(truncatingIfNeeded: key.number),
                    data: value.rawBytes, redaction: .commandData, name: "PUT KEY \(key.name)")
    }

    /// ACTIVATE FILE: FINALISE (§7.15).
    func activateFile() throws(PermitCardError) -> PermitCommand {
        try command(.activateFile)
    }

    // MARK: Encoding

    /// The length of a protected command's body carrying `length` bytes of data: DO'87' (indicator and
    /// padded ciphertext) and DO'8E' with its 8-byte MAC.
    static func protectedLength(_ length: Int) -> Int {
        let value = 1 + (length / 16 + 1) * 16
        return (value < 128 ? 2 : value < 256 ? 3 : 4) + value + 10
    }

    private func pinReference() throws(PermitCardError) -> UInt8 {
        guard let pin = profile.pin else { throw .invalidInput(.invalidField("PIN", "profile \(profile.name) has no holder PIN")) }
        return 0x80 | UInt8(truncatingIfNeeded: pin.reference)
    }

    private func command(
        _ instruction: PermitInstruction, cla: UInt8 = 0x00, p1: UInt8 = 0, p2: UInt8 = 0, data: [UInt8] = [], ne: Int = 0,
        redaction: TraceRedaction = [], file: String? = nil, name: String? = nil, protection: PermitCommand.Protection = .secure
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
