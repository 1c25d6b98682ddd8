import CPCSCLite
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The name of pcsc-lite's pseudo-reader whose state changes when a reader comes or goes.
let plugAndPlayReader = "\\\\?PnP?\\Notification"

/// Lists pcscd's readers. Worker thread only.
func listReaderNames(_ context: SCARDCONTEXT) throws(PCSCError) -> [String] {
    while true {
        var length: DWORD = 0
        var returnValue = SCardListReaders(context, nil, nil, &length)
        if PCSCError(returnValue: Int(returnValue), reader: nil, step: .listReaders)?.code == .noReadersAvailable { return [] }
        try check(returnValue, .listReaders)
        var buffer = [CChar](repeating: 0, count: Int(length))
        returnValue = SCardListReaders(context, nil, &buffer, &length)
        switch PCSCError(returnValue: Int(returnValue), reader: nil, step: .listReaders)?.code {
        case .noReadersAvailable?: return []
        case .insufficientBuffer?: continue  // a reader arrived between the two calls
        default: try check(returnValue, .listReaders)
        }
        // "name1\0name2\0\0"
        return buffer.split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    }
}

/// The SCARD_READERSTATE array for SCardGetStatusChange, with C strings that stay valid
/// across calls and the last state seen per reader. Worker thread only.
///
/// pcsc-lite takes at most `PCSCLITE_MAX_READERS_CONTEXTS` (16) states in one call and refuses more
/// with SCARD_E_INVALID_PARAMETER, the plug-and-play pseudo-reader included. With 16 readers the set
/// leaves that pseudo-reader out: pcscd serves no 17th reader, so none can arrive, and a reader that
/// leaves shows in its own state (SCARD_STATE_UNKNOWN).
final class ReaderStateSet {
    /// The most states one SCardGetStatusChange takes (pcsc-lite 1.9.9: 16).
    static let limit = Int(PCSCLITE_MAX_READERS_CONTEXTS)

    let names: [String]
    private let cNames: [UnsafeMutablePointer<CChar>]
    private var states: [SCARD_READERSTATE]
    /// Whether the plug-and-play pseudo-reader is the last state (asked for, and room for it).
    let watchesPlugAndPlay: Bool

    init(names: [String], watchPlugAndPlay: Bool) {
        self.names = names
        watchesPlugAndPlay = watchPlugAndPlay && names.count < Self.limit
        let all = names + (watchesPlugAndPlay ? [plugAndPlayReader] : [])
        cNames = all.map { strdup($0)! }
        states = cNames.map { name in
            var state = SCARD_READERSTATE()
            state.szReader = UnsafePointer(name)
            state.dwCurrentState = DWORD(SCARD_STATE_UNAWARE)
            return state
        }
    }

    deinit { cNames.forEach { free($0) } }

    /// Waits up to `milliseconds` for any state to differ from the last one seen.
    /// Returns false on timeout; `readersMoved` tells whether the reader list moved: the
    /// plug-and-play pseudo-reader changed, or a reader of the set is gone (SCARD_STATE_UNKNOWN).
    func wait(_ context: SCARDCONTEXT, milliseconds: Int) throws(PCSCError) -> (changed: Bool, readersMoved: Bool) {
        let returnValue = SCardGetStatusChange(context, DWORD(milliseconds), &states, DWORD(states.count))
        if PCSCError(returnValue: Int(returnValue), reader: nil, step: .waitForEvents)?.code == .timeout { return (false, false) }
        try check(returnValue, .waitForEvents)
        let changedFlag = DWORD(SCARD_STATE_CHANGED)
        let plugAndPlayChanged = watchesPlugAndPlay && states[states.count - 1].dwEventState & changedFlag != 0
        let readerGone = names.indices.contains { states[$0].dwEventState & DWORD(SCARD_STATE_UNKNOWN) != 0 }
        for index in states.indices {
            states[index].dwCurrentState = states[index].dwEventState & ~changedFlag
        }
        return (true, plugAndPlayChanged || readerGone)
    }

    /// The readers as of the last wait.
    var statuses: [ReaderStatus] {
        names.indices.map { index in
            var state = states[index]
            let atr = withUnsafeBytes(of: &state.rgbAtr) { Array($0.prefix(Int(min(state.cbAtr, 33)))) }
            return ReaderStatus(name: names[index], eventState: UInt(state.dwEventState), atr: atr)
        }
    }
}
