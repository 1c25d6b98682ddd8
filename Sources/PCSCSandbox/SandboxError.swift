/// Why the private pcscd could not be provided.
public enum SandboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A program or driver the sandbox needs is not installed.
    case missing(path: String, debianPackage: String)
    /// pcscd did not come up with the expected readers in time; the end of its log says why.
    case daemonDidNotStart(reason: String, log: String)
    /// No pair of free TCP ports for vpcd was found.
    case noFreePorts
    /// Every reader slot stayed leased for the whole wait.
    case noFreeSlot(waitedSeconds: Double)
    /// PCSCLITE_CSOCK_NAME already points elsewhere; libpcsclite reads it once per process.
    case socketNameTaken(current: String)

    public var description: String {
        switch self {
        case .missing(let path, let package):
            "\(path) is missing: install the Debian package '\(package)' (scripts/setup installs everything the project needs)."
        case .daemonDidNotStart(let reason, let log):
            "The private pcscd did not start: \(reason).\(log.isEmpty ? "" : " Its log ends with:\n\(log)")"
        case .noFreePorts:
            "No two consecutive free TCP ports were found for the virtual readers (vpcd)."
        case .noFreeSlot(let seconds):
            "No sandbox reader became free within \(seconds) s: too many tests hold readers at once."
        case .socketNameTaken(let current):
            "PCSCLITE_CSOCK_NAME is already set to '\(current)' in this process; libpcsclite reads it only once,"
                + " so the sandbox cannot take over. Use that daemon, or start the sandbox before any PC/SC call."
        }
    }
}
