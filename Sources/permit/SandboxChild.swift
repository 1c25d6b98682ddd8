import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The command `permit sandbox` runs. It starts with every signal at its default action and none
/// blocked (whatever this process ignores or blocks), so it can be stopped like any program; TERM, INT
/// and HUP sent to the sandbox are passed on to it, and the sandbox cleans up once it has ended.
enum SandboxChild {
    static let forwarded: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Runs `arguments` (found on PATH) with `environment` to its end: its exit status, 128 + N when
    /// signal N ended it (as a shell reports it).
    static func run(_ arguments: [String], environment: [String: String]) async throws -> Int32 {
        // The child's pid once started; a signal arriving before that is kept and sent right after.
        let target = Mutex<(pid: pid_t?, pending: Int32?)>((nil, nil))
        let sources = forwarded.map { number in
            signal(number, SIG_IGN)  // delivered to the source below instead of ending the sandbox
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                target.withLock { target in
                    if let pid = target.pid { kill(pid, number) } else { target.pending = number }
                }
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        let pid = try spawn(arguments, environment: environment)
        target.withLock { target in
            target.pid = pid
            if let pending = target.pending { kill(pid, pending) }
        }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let signalled = status & 0x7F
                continuation.resume(returning: signalled == 0 ? (status >> 8) & 0xFF : 128 + signalled)
            }
        }
    }

    private static func spawn(_ arguments: [String], environment: [String: String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawnp(&pid, arguments[0], nil, &attributes, argv, envp)
        guard result == 0 else {
            throw CommandError("Cannot run \(arguments[0]): \(String(cString: strerror(result))). Check the command's name and that it is on PATH.")
        }
        return pid
    }
}
