/// Which parts of an exchange a trace must hide: PINs and keys travel as command data,
/// cryptograms and key material come back as response data.
public struct TraceRedaction: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let commandData = TraceRedaction(rawValue: 1)
    public static let responseData = TraceRedaction(rawValue: 2)
    public static let all: TraceRedaction = [.commandData, .responseData]
}
