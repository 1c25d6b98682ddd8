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
final class ReaderStateSet {
    let names: [String]
    private let cNames: [UnsafeMutablePointer<CChar>]
    private var states: [SCARD_READERSTATE]
    private let watchesPlugAndPlay: Bool

    init(names: [String], watchPlugAndPlay: Bool) {
        self.names = names
        watchesPlugAndPlay = watchPlugAndPlay
        let all = names + (watchPlugAndPlay ? [plugAndPlayReader] : [])
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
    /// Returns false on timeout; `plugAndPlayChanged` tells whether the reader list moved.
    func wait(_ context: SCARDCONTEXT, milliseconds: Int) throws(PCSCError) -> (changed: Bool, plugAndPlayChanged: Bool) {
        let returnValue = SCardGetStatusChange(context, DWORD(milliseconds), &states, DWORD(states.count))
        if PCSCError(returnValue: Int(returnValue), reader: nil, step: .waitForEvents)?.code == .timeout { return (false, false) }
        try check(returnValue, .waitForEvents)
        let changedFlag = DWORD(SCARD_STATE_CHANGED)
        let plugAndPlayChanged = watchesPlugAndPlay && states[states.count - 1].dwEventState & changedFlag != 0
        for index in states.indices {
            states[index].dwCurrentState = states[index].dwEventState & ~changedFlag
        }
        return (true, plugAndPlayChanged)
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
