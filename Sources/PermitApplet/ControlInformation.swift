import CardEmulator
import CardSecurity

/// What the application tells about itself: the FCI on SELECT (CARD-SPEC §4), free to read, only what a
/// terminal needs to choose its profile and keys; and the permit state of GET DATA (§7.18), read inside a
/// session by a role, everything a station decides on in one answer.
enum ControlInformation {
    /// The identity part of EF.CARD in the FCI: format, serial, suite, profile name and version (bytes 0-27).
    static let identityLength = 28

    /// `6F { 8A LCS, A5 { C1 EF.CARD bytes 0-27, C7 { key number, version }... } }`.
    static func fci(of state: CardState, layout: PermitLayout) -> [UInt8] {
        var proprietary = TLV(0xC1, Array(layout.transparent(.cardInfo, in: state).prefix(identityLength))).encoded
        let versions = layout.profile.keys.map(\.number).sorted().compactMap { number in
            state.roleKey(number: number).map { [UInt8(number), $0.version] }
        }
        proprietary += TLV(0xC7, versions.flatMap { $0 }).encoded
        let lifeCycle = state.lifeCycle ?? .personalisation
        return TLV(0x6F, TLV(0x8A, [lifeCycle.rawValue]).encoded + TLV(0xA5, proprietary).encoded).encoded
    }

    /// `C1 EF.CARD | [C3 newest status record] | C5 number of endorsements | [C6 newest endorsement]
    /// | [C4 PIN tries left]`.
    static func state(of state: CardState, layout: PermitLayout) -> [UInt8] {
        var objects = TLV(0xC1, layout.transparent(.cardInfo, in: state)).encoded
        if let newest = layout.newestStatus(in: state) {
            objects += TLV(0xC3, newest).encoded
        }
        let endorsements = layout.records(.endorsements, in: state)
        objects += TLV(0xC5, [UInt8(clamping: endorsements.count)]).encoded
        if let last = endorsements.last {
            objects += TLV(0xC6, last).encoded
        }
        if layout.profile.pin != nil, state.holderPIN != nil, let tries = state.pinTriesLeft {
            objects += TLV(0xC4, [UInt8(clamping: tries)]).encoded
        }
        return objects
    }
}

extension CommandContext {
    /// GET DATA `00 CA 01 00 00` (protected): the permit state (`commands.readState`).
    mutating func getData(_ command: CommandAPDU) throws(StatusWord) -> ResponseAPDU {
        guard command.p1 == 0x01, command.p2 == 0x00 else { throw .referencedDataNotFound }
        guard command.data.isEmpty else { throw .wrongLength }
        try require(.readState)
        return ResponseAPDU(data: ControlInformation.state(of: state, layout: layout))
    }
}
