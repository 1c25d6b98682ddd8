/// Failures of the smart-card layer that pcsc-lite does not report as a SCARD_* code:
/// our own time limits, answers that are not ISO responses, and unknown reader names.
public enum SmartCardError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A blocking PC/SC call did not return in time. The connection is no longer usable.
    case timedOut(step: PCSCStep, reader: String?, seconds: Double)
    /// The card's answer is not an ISO response (for example fewer than two bytes).
    case malformedResponse(reader: String, step: PCSCStep, problem: APDUError)
    /// The card kept answering 61xx beyond the limit: it is misbehaving.
    case endlessResponse(reader: String, rounds: Int)
    /// Command data longer than the card takes in one APDU, and chaining is switched off.
    case commandTooLong(reader: String, count: Int, limit: Int)
    /// No reader matches the name the operator gave.
    case unknownReader(name: String, available: [String])
    /// Several readers match the name the operator gave.
    case ambiguousReader(name: String, matches: [String])
    /// No reader has a card in it, so there is nothing to send to.
    case noCardPresent(readers: [String])
    /// The connection was closed by this program; connect again.
    case connectionClosed(reader: String)

    /// The reader the failure happened at, when there is one.
    public var reader: String? {
        switch self {
        case .timedOut(_, let reader, _): reader
        case .malformedResponse(let reader, _, _), .endlessResponse(let reader, _), .commandTooLong(let reader, _, _),
             .connectionClosed(let reader): reader
        case .unknownReader(let name, _), .ambiguousReader(let name, _): name
        case .noCardPresent: nil
        }
    }

    /// The step that failed, when the failure is one of an exchange.
    public var step: PCSCStep? {
        switch self {
        case .timedOut(let step, _, _), .malformedResponse(_, let step, _): step
        case .endlessResponse: .getResponse
        case .commandTooLong: .commandChaining
        case .connectionClosed: .transmit
        case .unknownReader, .ambiguousReader, .noCardPresent: .connect
        }
    }

    public var description: String {
        switch self {
        case .timedOut(let step, let reader, let seconds):
            return "\(reader.map { "Reader '\($0)': " } ?? "")\(step.phrase) did not finish within \(seconds) s."
                + " pcscd or the reader is not answering; check them and connect again."
        case .malformedResponse(let reader, let step, .responseTooShort(count: 0)):
            // What a reader passes on when the card went away in the middle of a command.
            return "Reader '\(reader)': \(step.phrase) got no answer at all: the card was pulled or lost power while the command ran."
                + " Put it back and read it again to see whether the command took effect."
        case .malformedResponse(let reader, let step, let problem):
            return "Reader '\(reader)': \(step.phrase) failed: the card's answer is not a valid response: \(problem)."
                + " Re-seat the card; if it persists the card is faulty."
        case .endlessResponse(let reader, let rounds):
            return "Reader '\(reader)': the card still announced more data (61xx) after \(rounds) GET RESPONSE commands;"
                + " the card is misbehaving."
        case .commandTooLong(let reader, let count, let limit):
            return "Reader '\(reader)': \(count) bytes of command data exceed the \(limit) the card takes in one APDU"
                + " and command chaining is off."
        case .unknownReader(let name, let available):
            return "No reader named '\(name)'. "
                + (available.isEmpty ? "pcscd knows no readers at all: plug one in." : "Readers: \(available.map { "'\($0)'" }.joined(separator: ", ")).")
        case .ambiguousReader(let name, let matches):
            return "'\(name)' matches several readers (\(matches.map { "'\($0)'" }.joined(separator: ", "))): give more of the name."
        case .noCardPresent(let readers):
            return readers.isEmpty
                ? "No reader is connected: plug one in."
                : "No card in any reader (\(readers.map { "'\($0)'" }.joined(separator: ", "))): insert a card."
        case .connectionClosed(let reader):
            return "Reader '\(reader)': the connection was already closed; connect again."
        }
    }
}
