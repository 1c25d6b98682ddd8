import Glibc

/// Keeps libpcsclite's lists of contexts and card handles still while a call looks into them.
///
/// libpcsclite 1.9.9 keeps a process-wide list of contexts, each with a list of its card handles.
/// Establishing or releasing a context and connecting or disconnecting change those lists, while
/// every call walks them to find its context or handle, and the two do not exclude each other:
/// a process whose connections come and go while others are busy crashes (SIGSEGV in
/// libpcsclite's list seek; `HandleListTests` reproduces it within seconds without this lock).
/// Calls that look up share this lock; calls that change the lists take it alone.
///
/// A looking-up call can block inside pcscd (SCardBeginTransaction while another client holds the
/// card), so a change waits for the lock at most `changeWait` and then goes ahead: a disconnect
/// must never wait on a transaction that it would end itself. SCardGetStatusChange and SCardCancel
/// stay outside the lock (a watch blocks in the first for its whole wait slice): their lookup is
/// the one window left.
enum HandleListLock {
    private nonisolated(unsafe) static let lock: UnsafeMutablePointer<pthread_rwlock_t> = {
        let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        // A waiting connect or disconnect goes before new lookups, or busy connections could keep it out.
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        return lock
    }()

    private static let changeWait = 2  // seconds

    /// Runs a libpcsclite call that looks up a context or card handle.
    static func lookingUp<T>(_ call: () -> T) -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return call()
    }

    /// Runs a call that adds a context or handle to the lists or removes one.
    static func changing<T>(_ call: () -> T) -> T {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        deadline.tv_sec += changeWait
        let locked = pthread_rwlock_timedwrlock(lock, &deadline) == 0
        defer { if locked { pthread_rwlock_unlock(lock) } }
        return call()
    }
}
