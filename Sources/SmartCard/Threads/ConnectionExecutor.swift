/// A task executor on a thread of one card connection's own, for callers that send APDU after
/// APDU (a card session, a bulk job).
///
/// A task on the cooperative pool that awaits a command suspends, and the pool thread that
/// resumes it must be woken: on a VM that wake-up costs as much as a local reader's round trip.
/// A task running here is resumed by a thread that is still spinning for it, so consecutive
/// sends cost the PC/SC call and two hand-overs. The blocking call itself still runs on the
/// connection's PC/SC thread, so every call keeps its time limit.
final class ConnectionExecutor: TaskExecutor {
    private let thread: WorkerThread

    /// `spin` should cover one APDU's round trip to a local reader; a longer one (a real chip
    /// takes 14-300 ms) ends in one sleep and one wake-up, which is nothing beside it.
    init(name: String, spin: Duration = .microseconds(300)) {
        thread = WorkerThread(name: name, spin: spin)
    }

    deinit { thread.stop() }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        thread.enqueue { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
