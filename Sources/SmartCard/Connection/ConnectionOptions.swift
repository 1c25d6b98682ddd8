/// How to share the card with other applications (SCARD_SHARE_*).
public enum ShareMode: Sendable, Hashable {
    case shared, exclusive, direct

    var rawValue: DWORDValue {
        switch self {
        case .exclusive: 1
        case .shared: 2
        case .direct: 3
        }
    }
}

/// What to do with the card when leaving it (SCARD_*_CARD).
public enum Disposition: Sendable, Hashable {
    case leave, reset, unpower, eject

    var rawValue: DWORDValue {
        switch self {
        case .leave: 0
        case .reset: 1
        case .unpower: 2
        case .eject: 3
        }
    }
}

/// The protocols the caller accepts (SCARD_PROTOCOL_*).
public struct ProtocolSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt
    public init(rawValue: UInt) { self.rawValue = rawValue }

    public static let t0 = ProtocolSet(rawValue: 1)
    public static let t1 = ProtocolSet(rawValue: 2)
    public static let raw = ProtocolSet(rawValue: 4)
    public static let any: ProtocolSet = [.t0, .t1]
}

typealias DWORDValue = UInt
