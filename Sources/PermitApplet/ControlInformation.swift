import CardEmulator
import CardSecurity

/// The FCI the application returns on SELECT (CARD-SPEC §4): everything a station needs to recognise the
/// card and decide what to do next, so most operations need no separate read.
enum ControlInformation {
    /// `6F { 8A LCS, A5 { C1 EF.CARD, [C2 EF.CHIPKEY], [C3 newest EF.STATUS record], [C4 PIN tries] } }`.
    static func fci(of state: CardState, layout: PermitLayout) -> [UInt8] {
        var proprietary = TLV(0xC1, layout.transparent(.cardInfo, in: state)).encoded
        if state.chipPrivateKey != nil {
            proprietary += TLV(0xC2, layout.transparent(.chipPublicKey, in: state)).encoded
        }
        if let newest = layout.newestStatus(in: state) {
            proprietary += TLV(0xC3, newest).encoded
        }
        if layout.profile.pin != nil, state.holderPIN != nil, let tries = state.pinTriesLeft {
            proprietary += TLV(0xC4, [UInt8(clamping: tries)]).encoded
        }
        let lifeCycle = state.lifeCycle ?? .personalisation
        return TLV(0x6F, TLV(0x8A, [lifeCycle.rawValue]).encoded + TLV(0xA5, proprietary).encoded).encoded
    }
}
