import Foundation
import Synchronization

/// A private CUPS server for tests and the demo: `cupsd` in its own mount namespace, where a directory
/// of ours is bind-mounted on /etc/cups (so cups-pdf, whose configuration path is compiled in, reads our
/// `cups-pdf.conf`) and a tmpfs on /run. It listens only on a socket in that directory; the machine's
/// CUPS, if any, is never touched. Queues are cups-pdf virtual printers writing PDFs into `outputDirectory`.
///
/// Needs root: cupsd runs filters as user `lp`, which a user namespace cannot switch to.
public final class PrintSandbox: @unchecked Sendable {
    public let directory: URL
    /// Where the cups-pdf queues write, one `<title>-job_<id>.pdf` per job.
    public let outputDirectory: URL
    private var daemon: Process?

    /// The server address for libcups (`CardPrinter(server:)`) and Debian's tools (`CUPS_SERVER`).
    public var server: String { directory.appendingPathComponent("cups.sock").path }
    var configuration: URL { directory.appendingPathComponent("etc") }
    var errorLog: URL { directory.appendingPathComponent("log/error_log") }

    /// Starts cupsd under `directory` (created) and waits until it answers.
    public init(directory: URL) async throws(PrintSandboxError) {
        guard getuid() == 0 else { throw .needsRoot }
        for (path, package) in [(Self.cupsd, "cups-daemon"), (Self.lpadmin, "cups-client"), (Self.cupsPDFBackend, "printer-driver-cups-pdf"),
                                (Self.unshare, "util-linux")] where !FileManager.default.fileExists(atPath: path) {
            throw .missing(path: path, debianPackage: package)
        }
        self.directory = directory
        outputDirectory = directory.appendingPathComponent("out")
        do {
            try writeConfiguration()
            try launch()
        } catch let error as PrintSandboxError {
            throw error
        } catch {
            throw .startFailed(detail: "\(error)")
        }
        try await waitUntilAnswering()
    }

    deinit { stop() }

    /// Adds an enabled cups-pdf queue. With `failing`, its cups-pdf configuration names a file as its output
    /// directory, so every job ends in a backend error (what a jammed card printer does to a job).
    public func addPDFQueue(_ name: String, failing: Bool = false) async throws(PrintSandboxError) {
        if failing {
            let blocker = directory.appendingPathComponent("not-a-directory")
            _ = FileManager.default.createFile(atPath: blocker.path, contents: Data())
            do {
                try Self.cupsPDFSettings(out: "\(blocker.path)/out", root: directory.path)
                    .write(to: configuration.appendingPathComponent("cups-pdf-\(name).conf"), atomically: true, encoding: .utf8)
            } catch { throw .startFailed(detail: "\(error)") }
        }
        // The device URI cups-pdf:/NAME makes cups-pdf read cups-pdf-NAME.conf before cups-pdf.conf.
        // cups-pdf takes PostScript: CUPS's pdftops makes it, with pdftocairo, whose PostScript keeps the
        // fonts' Unicode maps, so the PDF cups-pdf writes is still searchable (the default, Ghostscript's
        // ps2write, turns CJK text into outlines). It sets the landscape card on a portrait page, turned.
        try await tool(Self.lpadmin, ["-p", name, "-E", "-v", failing ? "cups-pdf:/\(name)" : "cups-pdf:/",
                                      "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd", "-o", "printer-error-policy=stop-printer",
                                      "-o", "pdftops-renderer-default=pdftocairo"])
    }

    /// Stops (pauses) a queue, as `cupsdisable` does at a station when a printer needs attention.
    public func stopQueue(_ name: String, reason: String = "needs attention") async throws(PrintSandboxError) {
        try await tool(Self.cupsdisable, ["-r", reason, name])
    }

    public func startQueue(_ name: String) async throws(PrintSandboxError) {
        try await tool(Self.cupsenable, [name])
    }

    /// The PDF that job `id` produced, once cups-pdf has written it.
    public func output(ofJob id: Int) -> URL? {
        let suffix = "job_\(id).pdf"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
        return names.first { $0.hasSuffix(suffix) }.map(outputDirectory.appendingPathComponent)
    }

    /// The last lines of cupsd's error log, for failure messages.
    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    public func stop() {
        guard let daemon else { return }
        _ = running.withLock { $0.remove(daemon.processIdentifier) }
        if daemon.isRunning {
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
        }
        self.daemon = nil
    }

    static let cupsd = "/usr/sbin/cupsd"
    static let lpadmin = "/usr/sbin/lpadmin"
    static let cupsenable = "/usr/sbin/cupsenable"
    static let cupsdisable = "/usr/sbin/cupsdisable"
    static let unshare = "/usr/bin/unshare"
    static let cupsPDFBackend = "/usr/lib/cups/backend/cups-pdf"

    private func writeConfiguration() throws {
        let files = FileManager.default
        for sub in ["etc/ppd", "spool/tmp", "cache", "state", "log", "out", "cups-pdf-spool"] {
            try files.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let root = directory.path
        // Everything cupsd writes goes under `directory`; admin requests are allowed to root on the socket only.
        try """
            Listen \(server)
            LogLevel info
            WebInterface No
            Browsing No
            <Location />
              Order allow,deny
              Allow all
            </Location>
            <Policy default>
              <Limit All>
                Order deny,allow
              </Limit>
            </Policy>

            """.write(to: configuration.appendingPathComponent("cupsd.conf"), atomically: true, encoding: .utf8)
        try """
            RequestRoot \(root)/spool
            TempDir \(root)/spool/tmp
            CacheDir \(root)/cache
            StateDir \(root)/state
            ErrorLog \(root)/log/error_log
            AccessLog \(root)/log/access_log
            PageLog \(root)/log/page_log
            SystemGroup root
            User lp
            Group lp

            """.write(to: configuration.appendingPathComponent("cups-files.conf"), atomically: true, encoding: .utf8)
        try Self.cupsPDFSettings(out: "\(root)/out", root: root)
            .write(to: configuration.appendingPathComponent("cups-pdf.conf"), atomically: true, encoding: .utf8)
        for name in ["raw.convs", "raw.types"] where files.fileExists(atPath: "/etc/cups/\(name)") {
            try? files.copyItem(atPath: "/etc/cups/\(name)", toPath: configuration.appendingPathComponent(name).path)
        }
    }

    /// cups-pdf's settings: `Label 2` names every file after its job id, so a test finds its own job's
    /// PDF; Ghostscript's call is the default one without page auto-rotation, so pages keep their orientation.
    static func cupsPDFSettings(out: String, root: String) -> String {
        """
        Out \(out)
        Spool \(root)/cups-pdf-spool
        Log \(root)/log
        Label 2
        GSCall %s -q -dCompatibilityLevel=%s -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite -sOutputFile="%s" -dAutoRotatePages=/None -dAutoFilterColorImages=false -dColorImageFilter=/FlateEncode -dPDFSETTINGS=/prepress -c -f %s

        """
    }

    private func launch() throws {
        let log = directory.appendingPathComponent("log/cupsd.out")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.unshare)
        process.arguments = [
            "-m", "--propagation", "private", "/bin/sh", "-c",
            #"mount --bind "$1" /etc/cups && mount -t tmpfs tmpfs /run && exec "$2" -f -c /etc/cups/cupsd.conf -s /etc/cups/cups-files.conf"#,
            "print-sandbox", configuration.path, Self.cupsd,
        ]
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        daemon = process
        stopAtExit
        _ = running.withLock { $0.insert(process.processIdentifier) }
    }

    private func waitUntilAnswering() async throws(PrintSandboxError) {
        for _ in 0..<100 {
            guard daemon?.isRunning == true else { break }
            if FileManager.default.fileExists(atPath: server), (try? await tool("/usr/bin/lpstat", ["-r"])) != nil { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
        let detail = logTail()
        stop()
        throw .startFailed(detail: detail)
    }

    /// Runs one of CUPS's command-line tools against this server.
    private func tool(_ path: String, _ arguments: [String]) async throws(PrintSandboxError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ["CUPS_SERVER": server, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw .toolFailed(command: path, detail: "\(error)") }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw .toolFailed(command: ([URL(fileURLWithPath: path).lastPathComponent] + arguments).joined(separator: " "), detail: text)
        }
    }
}

/// cupsd processes to stop when the process exits: test runs end without teardown. Their directories are
/// the callers' (tests use `ScratchDirectory`, removed at exit).
private let running = Mutex<Set<pid_t>>([])
private let stopAtExit: Void = { atexit { for pid in running.withLock({ $0 }) { kill(pid, SIGTERM) } } }()

public enum PrintSandboxError: Error, CustomStringConvertible {
    case needsRoot
    case missing(path: String, debianPackage: String)
    case startFailed(detail: String)
    case toolFailed(command: String, detail: String)

    public var description: String {
        switch self {
        case .needsRoot:
            "The private CUPS server needs root (cupsd runs its filters as user lp); run the tests as root, as CI does."
        case .missing(let path, let package):
            "\(path) is missing; install Debian's \(package) (scripts/setup does)."
        case .startFailed(let detail):
            "The private cupsd did not start; its log says: \(detail)"
        case .toolFailed(let command, let detail):
            "\(command) failed: \(detail.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
