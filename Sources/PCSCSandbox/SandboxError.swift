/// Why the private pcscd could not be provided.
public enum SandboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A program or driver the sandbox needs is not installed.
    case missing(path: String, debianPackage: String)
    /// pcscd did not come up with the expected readers in time; the end of its log says why.
    case daemonDidNotStart(reason: String, log: String)
    /// No pair of free TCP ports for vpcd was found.
    case noFreePorts
    /// Every reader slot stayed leased for the whole wait, or a user of the whole daemon held new leases.
    case noFreeSlot(waitedSeconds: Double, heldForWholeDaemon: Bool, leases: [String])
    /// A user of the whole daemon waited in vain for these readers ("reader (holder)") to be given back.
    case readersStillLeased([String], waitedSeconds: Double)
    /// pcscd still showed a card in these readers after their user gave them back.
    case cardLeftInReader([String], waitedSeconds: Double)
    /// pcscd did not show a reader in the state a caller waited for; `lastSeen` is the state it showed.
    case readerNotReady(reader: String, waitedSeconds: Double, lastSeen: String)
    /// The card pcscd lists in a reader did not answer a command in time.
    case cardNotAnswering(reader: String, waitedSeconds: Double, lastProblem: String)
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
        case .noFreeSlot(let seconds, let heldForWholeDaemon, let leases):
            (heldForWholeDaemon
                ? "No sandbox reader was handed out within \(seconds) s: a test waiting to stop pcscd held new leases until every reader is back (a test holding readers outside withSlot?)."
                : "No sandbox reader became free within \(seconds) s: too many tests hold readers at once.")
                + " Leased: \(leases.joined(separator: ", "))."
        case .readersStillLeased(let readers, let seconds):
            readers.isEmpty
                ? "Another test held the whole private pcscd for \(seconds) s."
                : "The whole private pcscd was not free within \(seconds) s: \(readers.joined(separator: ", ")) stayed leased."
        case .cardLeftInReader(let readers, let seconds):
            "pcscd still showed a card in \(readers.joined(separator: ", ")) \(seconds) s after the reader was given back:"
                + " stop the card (emulator link or card program) before the lease ends."
        case .readerNotReady(let reader, let seconds, let lastSeen):
            "pcscd did not show \(reader) in the awaited state within \(seconds) s; it last showed: \(lastSeen.isEmpty ? "no state flags" : lastSeen)"
        case .cardNotAnswering(let reader, let seconds, let problem):
            "The card in \(reader) did not answer within \(seconds) s; the last try gave: \(problem)"
        case .socketNameTaken(let current):
            "PCSCLITE_CSOCK_NAME is already set to '\(current)' in this process; libpcsclite reads it only once,"
                + " so the sandbox cannot take over. Use that daemon, or start the sandbox before any PC/SC call."
        }
    }
}
