import Foundation

/// A task executor on a thread of one card connection's own, for callers that send APDU after
/// APDU (a card session, a bulk job).
///
/// A task on the cooperative pool that awaits a command suspends, and the pool thread that
/// resumes it must be woken: on a VM that wake-up costs as much as a local reader's round trip.
/// A task running here does not suspend for PC/SC calls: the call still runs on the connection's
/// PC/SC thread, within its time limit, and this thread waits for the answer (it may block: it
/// serves only this connection's callers).
final class ConnectionExecutor: TaskExecutor {
    private let thread: WorkerThread

    /// How long a caller here spins for an answer before it sleeps: a local reader's round
    /// trip. A real chip (14-300 ms an APDU) costs one sleep and one wake-up, nothing beside it.
    static let answerSpin = Duration.microseconds(300)

    /// Whether the current thread is the executor of `session`'s connection. A task here that
    /// uses another connection suspends as anywhere else: waiting on this thread for another
    /// connection's call (say, a transaction waiting for this one's to end) would hold up this
    /// connection's own callers.
    static func isCurrentThread(serving session: PCSCSession) -> Bool {
        UInt(bitPattern: pthread_getspecific(threadMark)) == mark(of: session)
    }
    private static let threadMark: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    init(name: String, serving session: PCSCSession) {
        let mark = Self.mark(of: session)
        thread = WorkerThread(name: name) { pthread_setspecific(Self.threadMark, UnsafeRawPointer(bitPattern: mark)) }
    }

    private static func mark(of session: PCSCSession) -> UInt {
        UInt(bitPattern: Unmanaged.passUnretained(session).toOpaque())
    }

    deinit { thread.stop() }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        thread.enqueue { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
