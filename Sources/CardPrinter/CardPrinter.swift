import CCUPS
import Foundation

/// A card printer: a CUPS queue on this station (named in the configuration, `--printer` on the CLI).
/// `print` checks the queue, sends one PDF, and follows the job until CUPS says it is done, so the
/// caller knows whether the card was printed: a `PrintReceipt`, or a `PrintFailure` to record as
/// "printed: no". Knows nothing of what is printed.
public struct CardPrinter: Sendable {
    public let queue: String
    /// A socket path, `host` or `host:port`; nil: libcups's default (`CUPS_SERVER`, client.conf, the local socket).
    public let server: String?
    /// Options for every job (`media`, a driver's own keys), from the station's configuration.
    public var options: [String: String]
    /// How long a job may take before it is cancelled (a card printer takes 10-30 s a card).
    public var jobTimeout: Duration
    /// How often the job's state is asked for.
    public var pollInterval: Duration = .milliseconds(100)

    /// The page size every card job asks for, ID-1 in CUPS's custom-size syntax; the queue's driver maps
    /// it to its own card size (a station's configuration may override it with `media`).
    public static let cardMedia = "Custom.85.6x53.98mm"

    public init(queue: String, server: String? = nil, options: [String: String] = [:], jobTimeout: Duration = .seconds(60)) {
        self.queue = queue
        self.server = server
        self.options = options
        self.jobTimeout = jobTimeout
    }

    /// The queue as CUPS sees it now.
    public func status() async throws(PrintFailure) -> QueueStatus {
        try await onPrintQueue { () throws(PrintFailure) in
            QueueStatus(try IPPSession(server: server).printerAttributes(queue))
        }
    }

    /// Prints `pdf` and waits for the job to end. Refuses, sending nothing, when the queue is missing,
    /// stopped or not accepting jobs (a stopped queue would hold the job and print it later, on whatever
    /// card is in the printer then); a job that fails or overruns is cancelled for the same reason.
    public func print(pdf: [UInt8], title: String) async throws(PrintFailure) -> PrintReceipt {
        try await onPrintQueue { () throws(PrintFailure) in
            let session = try IPPSession(server: server)
            let status = QueueStatus(try session.printerAttributes(queue))
            guard status.state != .stopped else { throw .queueStopped(queue: queue, reasons: status.reasons, message: status.message) }
            guard status.acceptingJobs else { throw .notAcceptingJobs(queue: queue, message: status.message) }
            let job = try session.submit(queue, pdf: pdf, title: title, options: ["media": Self.cardMedia].merging(options) { $1 })
            return try follow(job, on: session)
        }
    }

    private func follow(_ job: Int32, on session: IPPSession) throws(PrintFailure) -> PrintReceipt {
        let clock = ContinuousClock()
        let deadline = clock.now + jobTimeout
        func fail(_ failure: PrintFailure) -> PrintFailure {
            session.cancel(queue, job: job)
            return failure
        }
        while true {
            let attributes = try session.jobAttributes(queue, job: job)
            let printer = QueueStatus(try session.printerAttributes(queue))
            let reasons = attributes.strings("job-state-reasons").compactMap(PrinterReason.init(keyword:)) + printer.reasons
            let message = attributes.string("job-printer-state-message") ?? printer.message
            switch attributes.integer("job-state").map(JobState.init(rawValue:)) ?? nil {
            case .completed:
                return PrintReceipt(queue: queue, jobID: Int(job))
            case .canceled, .aborted, .stopped:
                throw fail(.jobFailed(queue: queue, jobID: Int(job), reasons: reasons, message: message))
            case .pending, .held, .processing, nil:
                // CUPS's default error policy stops the queue and puts the failed job back: it would print
                // later, so a stopped queue under our job is a failure now.
                if printer.state == .stopped {
                    throw fail(.jobFailed(queue: queue, jobID: Int(job), reasons: printer.reasons, message: printer.message))
                }
            }
            guard clock.now < deadline else {
                throw fail(.timedOut(queue: queue, jobID: Int(job), seconds: Int(jobTimeout.components.seconds)))
            }
            let (seconds, attoseconds) = pollInterval.components
            Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
        }
    }

    /// IPP over libcups blocks; it runs on a dispatch queue of its own, off Swift's cooperative pool.
    private func onPrintQueue<T: Sendable>(_ body: @escaping @Sendable () throws(PrintFailure) -> T) async throws(PrintFailure) -> T {
        let result: Result<T, PrintFailure> = await withCheckedContinuation { continuation in
            Self.ippQueue.async { continuation.resume(returning: Result { () throws(PrintFailure) in try body() }) }
        }
        return try result.get()
    }

    private static let ippQueue = DispatchQueue(label: "CardPrinter.ipp", attributes: .concurrent)
}

/// A job that CUPS reported done.
public struct PrintReceipt: Sendable, Hashable {
    public let queue: String
    public let jobID: Int
}

/// A queue's state (IPP `printer-state`, `printer-state-reasons`, `printer-state-message`, `printer-is-accepting-jobs`).
public struct QueueStatus: Sendable, Hashable {
    public enum State: Int32, Sendable { case idle = 3, printing = 4, stopped = 5 }

    public let state: State
    public let acceptingJobs: Bool
    public let reasons: [PrinterReason]
    public let message: String?

    init(_ attributes: IPPAttributes) {
        state = attributes.integer("printer-state").flatMap(State.init(rawValue:)) ?? .idle
        acceptingJobs = attributes.integer("printer-is-accepting-jobs").map { $0 != 0 } ?? true
        reasons = attributes.strings("printer-state-reasons").compactMap(PrinterReason.init(keyword:))
        message = attributes.string("printer-state-message")
    }
}

/// IPP `job-state`.
enum JobState: Int32 {
    case pending = 3, held, processing, stopped, canceled, aborted, completed
}
