import CardEmulator
import CardProfiles
import CardSecurity

/// INTERNAL AUTHENTICATE, GENERATE ASYMMETRIC KEY PAIR, PUT KEY and ACTIVATE FILE (CARD-SPEC §7.10-§7.12,
/// §7.15): the chip key that proves the chip is not a copy, the role keys, and FINALISE.
extension CommandContext {
    mutating func internalAuthenticate(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x00, command.p2 == 0x00 else { throw .incorrectP1P2 }
        try require(.internalAuthenticate)
        guard command.data.count == ChipAuthentication.challengeLength else { throw .wrongLength }
        guard let raw = state.chipPrivateKey else { throw .conditionsOfUseNotSatisfied }
        let serial = try layout.serial(in: state)
        do throws(CardSecurityError) {
            let key = try SigningKey(rawRepresentation: raw, suite: layout.suite)
            return ResponseAPDU(data: try ChipAuthentication.respond(to: command.data, serial: serial, chipKey: key))
        } catch {
            throw .noPreciseDiagnosis
        }
    }

    /// Generates the chip key pair on the card (replacing any earlier one) and writes EF.CHIPKEY, in one
    /// atomic step; answers EF.CHIPKEY's contents. The private key never leaves the card.
    mutating func generateKeyPair(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x80, command.p2 == 0x00 else { throw .incorrectP1P2 }
        try require(.generateChipKey)
        guard command.data.isEmpty else { throw .wrongLength }
        let key = try newChipKey()
        let path = layout.path(of: .chipPublicKey)
        guard case .transparent(let old) = state.fileSystem[path]?.content else { throw .fileNotFound }
        let contents = ChipKeyFile.encode(key.publicKey)
        guard contents.count <= old.count else { throw .notEnoughMemory }
        do throws(FileSystemError) {
            try state.fileSystem.replaceContent(
                of: path, with: .transparent(data: contents + [UInt8](repeating: 0, count: old.count - contents.count)))
        } catch {
            throw .memoryFailure
        }
        state.chipPrivateKey = key.rawRepresentation
        return ResponseAPDU(data: contents)
    }

    /// A P-256 key from the card's random source (retried in the rare case the bytes are not a valid scalar).
    private func newChipKey() throws(StatusWord) -> SigningKey {
        for _ in 0..<8 {
            if let key = try? SigningKey(rawRepresentation: session.random.bytes(32), suite: layout.suite) { return key }
        }
        throw .memoryFailure
    }

    /// Loads or replaces a role key: P1 = version, P2 = the profile's key number.
    mutating func putKey(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        try require(.writeKey)
        guard let spec = layout.profile.keys.first(where: { $0.number == Int(command.p2) }) else {
            throw .referencedDataNotFound
        }
        guard command.data.count == CardKey.length else { throw .incorrectData }
        state.setRoleKey(number: spec.number, version: command.p1, bytes: command.data)
        return ResponseAPDU()
    }

    /// FINALISE: LCS `03` → `05` once everything a permit card needs is on it; `6985` and no change otherwise.
    mutating func activate(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x00, command.p2 == 0x00 else { throw .incorrectP1P2 }
        try require(.finalise)
        guard command.data.isEmpty else { throw .wrongLength }
        guard missingForFinalise().isEmpty else { throw .conditionsOfUseNotSatisfied }
        state.lifeCycle = .operational
        return ResponseAPDU()
    }

    /// What FINALISE still lacks (CARD-SPEC §7.15), in the spec's order; empty when the card is complete.
    func missingForFinalise() -> [String] {
        var missing: [String] = []
        if layout.transparent(.cardInfo, in: state).dropFirst(9).first ?? 0 == 0 { missing.append("EF.CARD personalisation") }
        if layout.transparent(.holder, in: state).first != 0x65 { missing.append("EF.HOLDER") }
        if !layout.records(.residence, in: state).contains(where: { $0.first == 0x01 }) { missing.append("a residence record") }
        if layout.records(.status, in: state).isEmpty { missing.append("a status record") }
        if state.chipPrivateKey == nil { missing.append("the chip key") }
        if layout.transparent(.securityObject, in: state).first != 0x77 { missing.append("EF.SOD") }
        for key in layout.profile.keys where state.roleKey(number: key.number) == nil {
            missing.append("key \(key.name)")
        }
        return missing
    }
}
