import Foundation
import Synchronization

/// SoftHSM2 token directories private to the tests, so a test never sees or changes the machine's
/// tokens: SoftHSM2 reads `SOFTHSM2_CONF` (a file naming its token directory) when it is initialised.
public enum SoftHSMTokens {
    /// Debian's SoftHSM2 module (package softhsm2).
    public static let module = "/usr/lib/softhsm/libsofthsm2.so"

    private static let processConfiguration: Mutex<String?> = Mutex(nil)

    /// Points this process's `SOFTHSM2_CONF` at one private token directory (made on first use). Call it
    /// before the module is first loaded in the process; later calls return the same file.
    @discardableResult
    public static func useInThisProcess() -> String {
        processConfiguration.withLock { path in
            if let path { return path }
            let made = configuration(in: ScratchDirectory.make("softhsm"))
            setenv("SOFTHSM2_CONF", made, 1)
            path = made
            return made
        }
    }

    /// The environment for a child program with a token directory of its own (empty at first), and that
    /// directory's configuration file.
    public static func freshEnvironment() -> [String: String] {
        ["SOFTHSM2_CONF": configuration(in: ScratchDirectory.make("softhsm"))]
    }

    private static func configuration(in directory: URL) -> String {
        let tokens = directory.appendingPathComponent("tokens")
        try! FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("softhsm2.conf")
        try! "directories.tokendir = \(tokens.path)\nobjectstore.backend = file\nlog.level = ERROR\n".write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
