import Foundation
import Synchronization

/// Fresh directories for a test's files (state files, registries, key files), all under one directory
/// per test process that is removed when the process exits: test runs end without teardown, and
/// every run used to leave its files in /tmp.
public enum ScratchDirectory {
    private static let root: Mutex<URL?> = Mutex(nil)

    /// Creates and returns a new empty directory whose name starts with `prefix`.
    public static func make(_ prefix: String) -> URL {
        let directory = processRoot().appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A path for a new file named `prefix`-something-`suffix` in a new scratch directory.
    public static func file(_ prefix: String, suffix: String = "") -> String {
        make(prefix).appendingPathComponent(prefix + suffix).path
    }

    private static func processRoot() -> URL {
        root.withLock { root in
            if let root { return root }
            let created = FileManager.default.temporaryDirectory.appendingPathComponent("permitstation-tests-\(getpid())")
            root = created
            atexit { _ = try? FileManager.default.removeItem(at: ScratchDirectory.root.withLock { $0 }!) }
            return created
        }
    }
}
