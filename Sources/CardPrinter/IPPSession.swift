import CCUPS
import Foundation

/// One HTTP connection to a CUPS server and the few IPP operations a card print needs. Blocking: used
/// only on `CardPrinter`'s own dispatch queue, never on Swift's cooperative pool.
final class IPPSession {
    private let http: OpaquePointer
    let server: String

    /// `server`: a socket path (`/run/cups/cups.sock`), `host` or `host:port`; nil: libcups's default
    /// (`CUPS_SERVER`, then client.conf, then the local socket).
    init(server: String?) throws(PrintFailure) {
        let name = server ?? String(cString: cupsServer())
        self.server = name
        var host = name, port = ippPort()
        if !name.hasPrefix("/"), let colon = name.lastIndex(of: ":"), let number = Int32(name[name.index(after: colon)...]) {
            host = String(name[..<colon])
            port = number
        }
        guard let http = httpConnect2(host, port, nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nil) else {
            throw .serverUnreachable(server: name)
        }
        self.http = http
    }

    deinit { httpClose(http) }

    func printerURI(_ queue: String) -> String {
        let escaped = queue.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? queue
        return "ipp://localhost/printers/\(escaped)"
    }

    /// The queue's state, or `queueMissing`.
    func printerAttributes(_ queue: String) throws(PrintFailure) -> IPPAttributes {
        let request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI(queue))
        return try send(request, queue: queue)
    }

    func jobAttributes(_ queue: String, job: Int32) throws(PrintFailure) -> IPPAttributes {
        let request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI(queue))
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        return try send(request, queue: queue)
    }

    func cancel(_ queue: String, job: Int32) {
        let request = ippNewRequest(IPP_OP_CANCEL_JOB)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI(queue))
        ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
        ippDelete(cupsDoRequest(http, request, "/jobs/"))
    }

    /// Creates a job and sends `pdf` as its one document; the job's id.
    func submit(_ queue: String, pdf: [UInt8], title: String, options: [String: String]) throws(PrintFailure) -> Int32 {
        var count: Int32 = 0
        var cupsOptions: UnsafeMutablePointer<cups_option_t>?
        for (name, value) in options.sorted(by: { $0.key < $1.key }) { count = cupsAddOption(name, value, count, &cupsOptions) }
        defer { cupsFreeOptions(count, cupsOptions) }
        let job = cupsCreateJob(http, queue, title, count, cupsOptions)
        guard job > 0 else { throw lastError(queue) }
        var sent = cupsStartDocument(http, queue, job, title, CUPS_FORMAT_PDF, 1) == HTTP_STATUS_CONTINUE
        if sent {
            sent = pdf.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cupsWriteRequestData(http, $0.baseAddress, buffer.count) == HTTP_STATUS_CONTINUE }
            }
        }
        let finished = cupsFinishDocument(http, queue)
        guard sent, finished == IPP_STATUS_OK || finished == IPP_STATUS_OK_IGNORED_OR_SUBSTITUTED else {
            let failure = lastError(queue)
            cancel(queue, job: job)
            throw failure
        }
        return job
    }

    private func send(_ request: OpaquePointer?, queue: String) throws(PrintFailure) -> IPPAttributes {
        guard let response = cupsDoRequest(http, request, "/") else { throw lastError(queue) }
        defer { ippDelete(response) }
        let status = ippGetStatusCode(response)
        guard status.rawValue < IPP_STATUS_REDIRECTION_OTHER_SITE.rawValue else {
            throw status == IPP_STATUS_ERROR_NOT_FOUND ? .queueMissing(queue: queue)
                : .rejected(queue: queue, message: String(cString: ippErrorString(status)))
        }
        return IPPAttributes(response)
    }

    private func lastError(_ queue: String) -> PrintFailure {
        let status = cupsLastError()
        let message = String(cString: cupsLastErrorString())
        switch status {
        case IPP_STATUS_ERROR_NOT_FOUND: return .queueMissing(queue: queue)
        case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS: return .notAcceptingJobs(queue: queue, message: message)
        case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE: return .serverUnreachable(server: server)
        default: return .rejected(queue: queue, message: message)
        }
    }
}

/// The attributes of one IPP response that a print looks at, copied out of libcups's memory.
struct IPPAttributes {
    private var integers: [String: Int32] = [:]
    private var texts: [String: [String]] = [:]

    init(_ response: OpaquePointer) {
        var attribute = ippFirstAttribute(response)
        while let current = attribute {
            if let cName = ippGetName(current) {
                let name = String(cString: cName)
                let tag = ippGetValueTag(current)
                let count = ippGetCount(current)
                switch tag {
                case IPP_TAG_INTEGER, IPP_TAG_ENUM, IPP_TAG_BOOLEAN:
                    integers[name] = tag == IPP_TAG_BOOLEAN ? ippGetBoolean(current, 0) : ippGetInteger(current, 0)
                case IPP_TAG_KEYWORD, IPP_TAG_TEXT, IPP_TAG_NAME, IPP_TAG_TEXTLANG, IPP_TAG_NAMELANG, IPP_TAG_URI:
                    texts[name] = (0..<count).compactMap { ippGetString(current, $0, nil).map { String(cString: $0) } }
                default: break
                }
            }
            attribute = ippNextAttribute(response)
        }
    }

    func integer(_ name: String) -> Int32? { integers[name] }
    func strings(_ name: String) -> [String] { texts[name] ?? [] }
    func string(_ name: String) -> String? { texts[name]?.first.flatMap { $0.isEmpty ? nil : $0 } }
}
