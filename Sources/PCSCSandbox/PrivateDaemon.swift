import Foundation
import Synchronization

/// Daemons and directories to clean up when the process exits, even when no one calls
/// `shutdown()` (test runs end without teardown). `pcscd -x` is the fallback for a crash.
private let leftovers = Mutex<[pid_t: String]>([:])
private let cleanupRegistered = Mutex(false)

private func registerExitCleanup() {
    let first = cleanupRegistered.withLock { done -> Bool in
        defer { done = true }
        return !done
    }
    guard first else { return }
    atexit {
        for (pid, directory) in leftovers.withLock({ $0 }) {
            kill(pid, SIGTERM)
            // pcscd removes its socket as it exits; removing the directory before that leaves it behind.
            for _ in 0..<200 where waitpid(pid, nil, WNOHANG) == 0 { usleep(10_000) }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// One pcscd process in its own user + mount namespace, with /run/pcscd bind-mounted onto
/// a private directory so its socket never collides with the machine's pcscd. No network
/// namespace: vpcd's ports sit on the host loopback, where an in-process emulator reaches them.
final class PrivateDaemon: @unchecked Sendable {
    static let pcscd = "/usr/sbin/pcscd"
    static let unshare = "/usr/bin/unshare"
    static let vpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"

    let directory: URL
    private var process: Process?

    init(directory: URL) {
        self.directory = directory
    }

    var socketPath: String { directory.appendingPathComponent("pcscd.comm").path }
    var configDirectory: URL { directory.appendingPathComponent("reader.conf.d") }
    var logURL: URL { directory.appendingPathComponent("pcscd.log") }
    var isRunning: Bool { process?.isRunning ?? false }

    /// Checks the programs exist, naming the Debian package for each one that does not.
    static func checkInstalled() throws(SandboxError) {
        for (path, package) in [(pcscd, "pcscd"), (vpcdDriver, "vsmartcard-vpcd"), (unshare, "util-linux"), ("/bin/mount", "mount")]
        where !FileManager.default.isExecutableFile(atPath: path) && !FileManager.default.fileExists(atPath: path) {
            throw .missing(path: path, debianPackage: package)
        }
    }

    /// Writes one reader.conf entry per vpcd device (two slots each).
    ///
    /// vpcd keeps its two slots in globals of the driver library, so entries sharing one
    /// libifdvpcd.so all alias the last one. Each device therefore gets its own copy of the
    /// driver file: dlopen loads distinct files as distinct instances.
    func writeConfiguration(_ entries: [(friendlyName: String, port: Int)]) throws {
        let files = FileManager.default
        try files.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        let drivers = directory.appendingPathComponent("drivers")
        try files.createDirectory(at: drivers, withIntermediateDirectories: true)
        let text = try entries.enumerated().map { index, entry in
            let driver = drivers.appendingPathComponent("libifdvpcd-\(index + 1).so")
            try? files.removeItem(at: driver)
            // The Debian path is a symlink; copy the library itself.
            try files.copyItem(atPath: URL(fileURLWithPath: Self.vpcdDriver).resolvingSymlinksInPath().path, toPath: driver.path)
            return """
                FRIENDLYNAME "\(entry.friendlyName)"
                DEVICENAME   /dev/null:\(entry.port)
                LIBPATH      \(driver.path)
                CHANNELID    \(entry.port)

                """
        }.joined(separator: "\n")
        try text.write(to: configDirectory.appendingPathComponent("vpcd"), atomically: true, encoding: .utf8)
    }

    func start() throws {
        try? FileManager.default.removeItem(atPath: socketPath)
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)  // FileHandle below throws if it failed
        let log = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.unshare)
        // -r works with and without root; -x makes an orphaned daemon exit 60 s after its last client.
        process.arguments = [
            "-rm", "--propagation", "private", "/bin/sh", "-c",
            #"mount -t tmpfs tmpfs /run && mkdir -p /run/pcscd && mount --bind "$1" /run/pcscd && exec "$2" -f -x -c "$3""#,
            "sandbox", directory.path, Self.pcscd, configDirectory.path,
        ]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        registerExitCleanup()
        leftovers.withLock { $0[process.processIdentifier] = directory.path }
    }

    /// Stops the daemon: SIGTERM (a clean stop) or SIGKILL (a crash), and waits for it to go.
    func stop(crash: Bool = false) {
        guard let process else { return }
        leftovers.withLock { $0[process.processIdentifier] = nil }
        if process.isRunning {
            kill(process.processIdentifier, crash ? SIGKILL : SIGTERM)
            process.waitUntilExit()
        }
        self.process = nil
    }

    var exitStatus: Int32? {
        guard let process, !process.isRunning else { return nil }
        return process.terminationStatus
    }

    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}

/// Two consecutive TCP ports nobody listens on (vpcd uses PORT and PORT+1 for its two slots).
/// They stay below Linux's ephemeral range (32768 up): a card connecting while vpcd is not
/// listening could otherwise be handed its own port and connect to itself.
func freePortPair(avoiding taken: Set<Int>) throws(SandboxError) -> Int {
    for _ in 0..<200 {
        let base = Int.random(in: 20_000...32_000) & ~1
        if !taken.contains(base) && !taken.contains(base + 1) && isFree(base) && isFree(base + 1) { return base }
    }
    throw .noFreePorts
}

private func isFree(_ port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr = in_addr(s_addr: INADDR_ANY)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
