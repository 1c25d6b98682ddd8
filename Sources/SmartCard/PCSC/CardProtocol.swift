/// The transmission protocol pcscd negotiated with the card.
public enum CardProtocol: String, Sendable, Hashable, CustomStringConvertible {
    case t0 = "T=0"
    case t1 = "T=1"
    case raw = "RAW"
    case undefined = "T=?"

    public var description: String { rawValue }

    /// SCARD_PROTOCOL_* bit value.
    var bits: UInt {
        switch self {
        case .t0: 1
        case .t1: 2
        case .raw: 4
        case .undefined: 0
        }
    }

    init(bits: UInt) {
        switch bits {
        case 1: self = .t0
        case 2: self = .t1
        case 4: self = .raw
        default: self = .undefined
        }
    }
}
