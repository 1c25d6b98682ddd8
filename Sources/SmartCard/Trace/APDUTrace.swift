import Synchronization

/// An APDU trace in apdu4j's style, one line per direction:
///
///     A>> T=1 (4+0007) 00A4040C 02 3F00
///     A<< (0000+2) (0.08ms) 9000
///
/// Redacted data shows as `**` per byte, so lengths stay visible and secrets never reach
/// the trace. Lines go to an optional sink as they happen (the CLI's `--trace`) and are kept
/// for `text`, which is also the replay file format (see `TraceReplay` and docs/SMARTCARD.md).
public final class APDUTrace: Sendable {
    private struct State {
        var lines: [String] = []
        var apdus = 0
        var sent = 0
        var received = 0
        var elapsed: Duration = .zero
    }

    private let state = Mutex(State())
    private let sink: (@Sendable (String) -> Void)?

    /// - Parameter sink: receives each line as it is written (e.g. print to stderr).
    public init(sink: (@Sendable (String) -> Void)? = nil) {
        self.sink = sink
    }

    /// Every line written so far, oldest first.
    public var lines: [String] { state.withLock { $0.lines } }

    /// The whole trace as text, one line each, ending in a newline.
    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// Totals so far: APDUs exchanged, bytes sent and received.
    public var totals: (apdus: Int, sent: Int, received: Int) {
        state.withLock { ($0.apdus, $0.sent, $0.received) }
    }

    /// Opens a session: the header lines a replay reads.
    public func begin(reader: String, protocol cardProtocol: CardProtocol, atr: [UInt8]) {
        write("# reader: \(reader)")
        write("# protocol: \(cardProtocol)")
        write("# atr: \(atr.hexString)")
    }

    /// Records one raw exchange as the transport saw it.
    public func record(
        command: CommandAPDU, encoded: [UInt8], response: [UInt8],
        protocol cardProtocol: CardProtocol, duration: Duration
    ) {
        state.withLock {
            $0.apdus += 1
            $0.sent += encoded.count
            $0.received += response.count
            $0.elapsed += duration
        }
        write("A>> \(cardProtocol) (4+\(pad(encoded.count - 4))) \(Self.render(command, encoded: encoded))")
        let dataCount = max(response.count - 2, 0)
        let data = Array(response.prefix(dataCount))
        let status = Array(response.suffix(min(response.count, 2)))
        let shownData = command.redaction.contains(.responseData) ? Self.stars(data.count) : data.hexString
        let body = [shownData, status.hexString].filter { !$0.isEmpty }.joined(separator: " ")
        write("A<< (\(pad(dataCount))+\(status.count)) (\(Self.milliseconds(duration))) \(body)")
    }

    /// Records a failed exchange (no answer), so the trace shows where a session broke.
    public func recordFailure(_ error: any Error) {
        write("# error: \(error)")
    }

    /// Closes a session with its byte totals (written at disconnect).
    public func end(reader: String) {
        let (apdus, sent, received, elapsed) = state.withLock { ($0.apdus, $0.sent, $0.received, $0.elapsed) }
        write("# \(reader): \(apdus) APDUs, sent \(sent) bytes, received \(received) bytes, \(Self.milliseconds(elapsed)) on the card")
    }

    private func write(_ line: String) {
        state.withLock { $0.lines.append(line) }
        sink?(line)
    }

    private func pad(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Header, then Lc field, data and Le field as separate groups, data starred when redacted.
    static func render(_ command: CommandAPDU, encoded: [UInt8]) -> String {
        var groups = [Array(encoded.prefix(4)).hexString]
        let extended = command.isExtended
        let lcWidth = command.data.isEmpty ? 0 : (extended ? 3 : 1)
        let leWidth = command.ne == 0 ? 0 : (extended ? (command.data.isEmpty ? 3 : 2) : 1)
        if lcWidth > 0 {
            groups.append(Array(encoded[4..<(4 + lcWidth)]).hexString)
            groups.append(command.redaction.contains(.commandData) ? stars(command.data.count) : command.data.hexString)
        }
        if leWidth > 0 { groups.append(Array(encoded.suffix(leWidth)).hexString) }
        return groups.joined(separator: " ")
    }

    static func stars(_ count: Int) -> String { String(repeating: "*", count: count * 2) }

    /// Milliseconds with two decimals: card round trips through vpcd are well under 1 ms.
    static func milliseconds(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        let hundredths = (micros + 5) / 10
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)ms"
    }
}
