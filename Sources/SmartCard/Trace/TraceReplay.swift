/// A recorded trace read back as the exchanges it holds, so the channel's logic can be
/// tested against what a real card once answered (`ReplayTransport`).
///
/// Only `A>>`/`A<<` lines and the `# reader:`/`# protocol:` headers matter; other `#` lines
/// are comments. Redacted command bytes (`**`) match any byte; redacted response bytes replay as 00.
public struct TraceReplay: Sendable, Equatable {
    public struct Exchange: Sendable, Equatable {
        /// Expected command bytes; `nil` where the trace redacted them.
        public var command: [UInt8?]
        public var response: [UInt8]
    }

    public var reader: String
    public var cardProtocol: CardProtocol
    public var exchanges: [Exchange]

    public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        case malformedLine(number: Int, reason: String)
        case unansweredCommand(line: Int)

        public var description: String {
            switch self {
            case .malformedLine(let number, let reason): "trace line \(number): \(reason)"
            case .unansweredCommand(let line): "trace line \(line): an A>> command has no A<< answer after it"
            }
        }
    }

    public init(text: String) throws(FormatError) {
        reader = "replay"
        cardProtocol = .t1
        exchanges = []
        var pending: (line: Int, bytes: [UInt8?])?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = String(rawLine.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
            if line.hasPrefix("# reader: ") {
                reader = String(line.dropFirst("# reader: ".count))
            } else if line.hasPrefix("# protocol: ") {
                cardProtocol = CardProtocol(rawValue: String(line.dropFirst("# protocol: ".count))) ?? .undefined
            } else if line.hasPrefix("A>> ") {
                if let open = pending { throw .unansweredCommand(line: open.line) }
                // A>> T=1 (4+0007) 00A4040C 02 3F00
                let fields = line.split(separator: " ").dropFirst(3)
                pending = (number, try Self.pattern(fields.joined(), line: number))
            } else if line.hasPrefix("A<< ") {
                guard let open = pending else { throw .malformedLine(number: number, reason: "A<< without a command before it") }
                // A<< (0002+2) (0.10ms) 0102 9000
                let fields = line.split(separator: " ").dropFirst(3)
                let response = try Self.pattern(fields.joined(), line: number).map { $0 ?? 0x00 }
                exchanges.append(Exchange(command: open.bytes, response: response))
                pending = nil
            } else if !line.isEmpty && !line.hasPrefix("#") {
                throw .malformedLine(number: number, reason: "expected A>>, A<< or a # comment")
            }
        }
        if let open = pending { throw .unansweredCommand(line: open.line) }
    }

    private static func pattern(_ hex: String, line: Int) throws(FormatError) -> [UInt8?] {
        let characters = Array(hex)
        guard characters.count % 2 == 0 else { throw .malformedLine(number: line, reason: "odd number of hex digits") }
        var bytes: [UInt8?] = []
        for pairStart in stride(from: 0, to: characters.count, by: 2) {
            let pair = String(characters[pairStart...pairStart + 1])
            if pair == "**" {
                bytes.append(nil)
            } else if let value = UInt8(pair, radix: 16) {
                bytes.append(value)
            } else {
                throw .malformedLine(number: line, reason: "'\(pair)' is not a hex byte")
            }
        }
        return bytes
    }
}

/// Plays a `TraceReplay` back as a card: each command must match the next recorded one.
public final class ReplayTransport: CardTransport {
    public enum Mismatch: Error, Equatable, Sendable, CustomStringConvertible {
        case unexpectedCommand(index: Int, expected: String, actual: String)
        case exhausted(after: Int, actual: String)

        public var description: String {
            switch self {
            case .unexpectedCommand(let index, let expected, let actual):
                "replayed exchange \(index + 1): the trace has command \(expected) but \(actual) was sent"
            case .exhausted(let count, let actual):
                "the trace ends after \(count) exchanges but \(actual) was sent"
            }
        }
    }

    public let readerName: String
    public let cardProtocol: CardProtocol
    private let exchanges: [TraceReplay.Exchange]
    public private(set) var position = 0

    public init(_ replay: TraceReplay) {
        readerName = replay.reader
        cardProtocol = replay.cardProtocol
        exchanges = replay.exchanges
    }

    /// True once every recorded exchange has been played.
    public var isFinished: Bool { position == exchanges.count }

    public func transmit(_ command: [UInt8]) throws -> [UInt8] {
        guard position < exchanges.count else { throw Mismatch.exhausted(after: position, actual: command.hexString) }
        let expected = exchanges[position]
        let matches = expected.command.count == command.count
            && zip(expected.command, command).allSatisfy { $0.0 == nil || $0.0 == $0.1 }
        guard matches else {
            let shown = expected.command.map { $0.map { [$0].hexString } ?? "**" }.joined()
            throw Mismatch.unexpectedCommand(index: position, expected: shown, actual: command.hexString)
        }
        position += 1
        return expected.response
    }
}
