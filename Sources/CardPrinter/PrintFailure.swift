/// Why a print did not happen. Whatever the case, the card was not (fully) printed: the station keeps it
/// flagged "printed: no" until a reprint succeeds. Each `description` is one sentence: what happened and what to do.
public enum PrintFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No CUPS server answers at the configured address.
    case serverUnreachable(server: String)
    /// The server has no queue of that name.
    case queueMissing(queue: String)
    /// The queue is stopped (paused by an operator, or by CUPS after a printer error); nothing was sent.
    case queueStopped(queue: String, reasons: [PrinterReason], message: String?)
    /// The queue rejects new jobs; nothing was sent.
    case notAcceptingJobs(queue: String, message: String?)
    /// The server refused the job or its document.
    case rejected(queue: String, message: String)
    /// The job started and ended in error, or the printer stopped under it; the job was cancelled.
    case jobFailed(queue: String, jobID: Int, reasons: [PrinterReason], message: String?)
    /// The job did not finish in time; it was cancelled so it cannot print later on another card.
    case timedOut(queue: String, jobID: Int, seconds: Int)

    public var description: String {
        switch self {
        case .serverUnreachable(let server):
            return "No print server answers at \(server); start CUPS on this station (or correct the server in the configuration) and print the card again."
        case .queueMissing(let queue):
            return "There is no printer queue named \"\(queue)\" on this station; correct the printer name in the configuration (lpstat -p lists the queues) and print the card again."
        case .queueStopped(let queue, let reasons, let message):
            return "The printer \"\(queue)\" is stopped\(Self.why(reasons, message)); fix the printer, start the queue again (cupsenable \(queue)) and print the card again."
        case .notAcceptingJobs(let queue, let message):
            return "The printer \"\(queue)\" does not accept jobs\(Self.why([], message)); let it accept jobs again (cupsaccept \(queue)) and print the card again."
        case .rejected(let queue, let message):
            return "The printer \"\(queue)\" refused the card (\(message)); check the queue's driver and print the card again."
        case .jobFailed(let queue, let jobID, let reasons, let message):
            return "Printing on \"\(queue)\" failed (job \(jobID)\(Self.why(reasons, message, separator: ", "))) and the job was cancelled; fix the printer, start the queue again if it stopped (cupsenable \(queue)) and print the card again."
        case .timedOut(let queue, let jobID, let seconds):
            return "The printer \"\(queue)\" did not finish job \(jobID) within \(seconds) s, so it was cancelled; check the printer for a jam or an empty card hopper and print the card again."
        }
    }

    private static func why(_ reasons: [PrinterReason], _ message: String?, separator: String = ": ") -> String {
        var parts = reasons.map(\.description)
        if let message, !message.isEmpty, !parts.contains(message) { parts.append(message) }
        return parts.isEmpty ? "" : separator + parts.joined(separator: "; ")
    }
}

/// A printer condition CUPS reports (IPP `printer-state-reasons`), in the words a kiosk or officer needs.
public enum PrinterReason: Sendable, Hashable, CustomStringConvertible {
    case outOfCards
    case jammed
    case ribbonUsedUp
    case coverOpen
    case offline
    case pausedByOperator
    /// Any other reason, as the IPP keyword.
    case other(String)

    /// From an IPP keyword such as `media-empty-error`; `none` and the informational ones give nil.
    init?(keyword: String) {
        var base = keyword
        for suffix in ["-error", "-warning", "-report"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        switch base {
        case "none", "cups-waiting-for-job-completed": return nil
        case "media-empty", "media-needed", "input-tray-missing": self = .outOfCards
        case "media-jam": self = .jammed
        case "marker-supply-empty", "toner-empty", "marker-supply-low": self = .ribbonUsedUp
        case "cover-open", "door-open": self = .coverOpen
        case "offline", "connecting-to-device", "shutdown", "timed-out": self = .offline
        case "paused": self = .pausedByOperator
        default: self = .other(keyword)
        }
    }

    public var description: String {
        switch self {
        case .outOfCards: "out of cards"
        case .jammed: "a card is jammed"
        case .ribbonUsedUp: "the ribbon is used up"
        case .coverOpen: "a cover is open"
        case .offline: "the printer is not connected"
        case .pausedByOperator: "stopped by an operator"
        case .other(let keyword): keyword
        }
    }
}
