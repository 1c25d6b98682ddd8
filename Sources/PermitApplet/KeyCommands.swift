import CardEmulator
import CardProfiles
import CardSecurity

/// PUT KEY and ACTIVATE FILE (CARD-SPEC §7.12, §7.15): the role keys, and FINALISE.
extension CommandContext {
    /// Loads or replaces a role key: P1 = version, P2 = the profile's key number. Once operational (a
    /// rotation in the field, `commands.writeKey`), only a higher version than the card holds: a stolen old
    /// master key cannot be loaded back (`6985`).
    mutating func putKey(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        try require(.writeKey)
        guard let spec = layout.profile.keys.first(where: { $0.number == Int(command.p2) }) else {
            throw .referencedDataNotFound
        }
        guard command.data.count == CardKey.length else { throw .incorrectData }
        if phase == .operational {
            guard let current = state.roleKey(number: spec.number), command.p1 > current.version else { throw .conditionsOfUseNotSatisfied }
        }
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
        if !layout.records(.residence, in: state).contains(where: { $0.first == ConsistencyCheck.residenceFormat }) { missing.append("a residence record") }
        if layout.records(.status, in: state).isEmpty { missing.append("a status record") }
        if state.chipPrivateKey == nil { missing.append("the chip key") }
        if layout.profile.pin?.puk != nil, state.holderPIN != nil, state.holderPUK == nil { missing.append("the holder's PUK") }
        if layout.transparent(.securityObject, in: state).first != 0x77 { missing.append("EF.SOD") }
        for key in layout.profile.keys where state.roleKey(number: key.number) == nil {
            missing.append("key \(key.name)")
        }
        return missing
    }
}
