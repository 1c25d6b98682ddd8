import Foundation

/// What a child program writes to one of its pipes, read on a thread of its own until the pipe closes.
///
/// A dedicated thread, not a task: a blocking read on Swift's cooperative pool (two threads on the CI
/// machine) can starve the very tasks that would end the program, and the whole test process stalls.
final class OutputCollector: @unchecked Sendable {
    let pipe = Pipe()
    private let lock = NSLock()
    private var bytes = Data()  // guarded by `lock`
    private var closed = false  // guarded by `lock`

    /// Starts reading; call once the program runs (before, a failed launch would leave the thread blocked).
    func start() {
        Thread { [self] in
            let handle = pipe.fileHandleForReading
            while let chunk = try? handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                lock.withLock { bytes.append(chunk) }
            }
            lock.withLock { closed = true }
        }.start()
    }

    /// True once every writer closed the pipe (the program and anything it started that inherited it).
    var isClosed: Bool { lock.withLock { closed } }

    /// Everything read so far.
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
