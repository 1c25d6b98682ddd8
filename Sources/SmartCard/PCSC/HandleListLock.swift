import CPCSCLite
import Glibc

/// Keeps libpcsclite's lists of card handles still while a call looks into them, without ever
/// holding a thread in pcscd while others need the lock.
///
/// libpcsclite 1.9.9 keeps a list of card handles per context. SCardConnect and SCardDisconnect
/// change a context's list holding only that context's mutex, while every call made with a card
/// handle walks all the lists under libpcsclite's global mutex: a process whose connections come
/// and go while others are busy crashes (SIGSEGV in libpcsclite's list seek; `HandleListTests`
/// reproduces it within seconds without this lock). Calls with a card handle share this lock;
/// connect and disconnect take it alone. Calls with only a context (establishing, releasing,
/// listing readers, SCardGetStatusChange, SCardCancel) look up the context list, which
/// libpcsclite changes under its global mutex: they need no lock.
///
/// A call can wait inside pcscd, and the lock must never be held by a wait that needs the lock
/// to end:
/// - pcscd holds SCardConnect, and a disconnect that resets or unpowers the card, until no other
///   handle has a transaction on the reader. A change therefore waits, before it takes the lock,
///   until this process's transaction on the reader has ended; transactions on the reader wait
///   meanwhile.
/// - SCardBeginTransaction waits in pcscd while another handle holds one. This process's
///   transactions on a reader therefore take turns here, so only another process can make one wait.
/// - A waiting change holds new calls off only in turns (`holdOff` closed, then as long open), so a
///   call that waits in pcscd (a slow card, another process's transaction) stalls no one else for
///   long. A change waits at most `changeWait` for the lock, then goes ahead without it: a
///   disconnect must never wait behind a call that waits in pcscd for that very handle.
enum HandleListLock {
    private static let gate = Gate()
    private static let changeWait: UInt64 = 2_000_000_000  // ns
    private static let holdOff: UInt64 = 50_000_000  // ns

    /// Runs a libpcsclite call made with a card handle.
    static func lookingUp<T>(_ call: () -> T) -> T {
        gate.enterShared(beginning: nil)
        defer { gate.leaveShared() }
        return call()
    }

    /// Runs SCardBeginTransaction for `handle`, after this process's other transactions on `reader`.
    static func beginningTransaction(on reader: String, by handle: SCARDHANDLE, _ call: () -> LONG) -> LONG {
        gate.enterShared(beginning: Holder(reader: reader, handle: handle))
        let returnValue = call()
        gate.leaveShared()
        if returnValue != SCARD_S_SUCCESS { gate.endTransaction(Holder(reader: reader, handle: handle)) }
        return returnValue
    }

    /// Runs SCardEndTransaction for `handle`; the transaction counts as ended whatever pcscd says.
    static func endingTransaction(on reader: String, by handle: SCARDHANDLE, _ call: () -> LONG) -> LONG {
        defer { gate.endTransaction(Holder(reader: reader, handle: handle)) }
        return lookingUp(call)
    }

    /// Runs SCardConnect to `reader`.
    static func connecting(to reader: String, _ call: () -> LONG) -> LONG {
        gate.changing(waitingFor: reader, sparing: nil, call)
    }

    /// Runs SCardDisconnect of `handle` in `reader`; `resets` when the disposition is not "leave".
    static func disconnecting(_ handle: SCARDHANDLE, from reader: String, resets: Bool, _ call: () -> LONG) -> LONG {
        defer { forget(handle, in: reader) }
        return gate.changing(waitingFor: resets ? reader : nil, sparing: handle, call)
    }

    /// Drops a handle pcscd no longer knows (disconnected, or pcscd went away) with its transaction.
    static func forget(_ handle: SCARDHANDLE, in reader: String) {
        gate.endTransaction(Holder(reader: reader, handle: handle), all: true)
    }

    private struct Holder {
        let reader: String
        let handle: SCARDHANDLE
    }

    /// The lock's state under a pthread mutex, with one condition (monotonic clock) for every wait.
    private final class Gate: @unchecked Sendable {
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var sharing = 0
        private var alone = false
        private var waitingAlone = 0
        /// When the current hold-off turns began: the first waiting change, or the last one let in.
        private var turnsStart: UInt64 = 0
        /// This process's transaction per reader: its handle and how deeply it is nested.
        private var transactions: [String: (handle: SCARDHANDLE, depth: Int)] = [:]
        /// Changes per reader that wait for its transaction to end or run, by arrival number:
        /// a transaction that arrived later waits for them, so neither kind can keep the other out.
        private var changesWaiting: [String: Set<UInt64>] = [:]
        private var arrivals: UInt64 = 0

        init() {
            pthread_mutex_init(mutex, nil)
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            pthread_cond_init(changed, &attributes)
            pthread_condattr_destroy(&attributes)
        }

        func enterShared(beginning transaction: Holder?) {
            locked {
                let arrival = transaction == nil ? 0 : nextArrival()
                while true {
                    if alone {
                        pthread_cond_wait(changed, mutex)
                    } else if waitingAlone > 0, let end = holdOffEnd(at: now()) {
                        wait(until: end)
                    } else if let transaction, mustWait(toBegin: transaction, arrival: arrival) {
                        pthread_cond_wait(changed, mutex)
                    } else {
                        break
                    }
                }
                if let transaction {
                    transactions[transaction.reader] = (transaction.handle, (transactions[transaction.reader]?.depth ?? 0) + 1)
                }
                sharing += 1
            }
        }

        func leaveShared() {
            locked {
                sharing -= 1
                if sharing == 0 { pthread_cond_broadcast(changed) }
            }
        }

        /// Ends one level of `holder`'s transaction, or all of them.
        func endTransaction(_ holder: Holder, all: Bool = false) {
            locked {
                guard let current = transactions[holder.reader], current.handle == holder.handle else { return }
                transactions[holder.reader] = all || current.depth <= 1 ? nil : (current.handle, current.depth - 1)
                pthread_cond_broadcast(changed)
            }
        }

        /// Runs `call` alone, once no transaction but `sparing`'s is open on `reader` (if given);
        /// after `changeWait` for the lock itself it runs anyway.
        func changing(waitingFor reader: String?, sparing handle: SCARDHANDLE?, _ call: () -> LONG) -> LONG {
            let (entered, arrival) = locked { () -> (Bool, UInt64) in
                let arrival = nextArrival()
                if let reader {
                    changesWaiting[reader, default: []].insert(arrival)
                    while let holder = transactions[reader], holder.handle != handle { pthread_cond_wait(changed, mutex) }
                }
                let deadline = now() + HandleListLock.changeWait
                if waitingAlone == 0 { turnsStart = now() }
                waitingAlone += 1
                while (alone || sharing > 0) && now() < deadline { wait(until: deadline) }
                waitingAlone -= 1
                guard !alone && sharing == 0 else { return (false, arrival) }
                alone = true
                turnsStart = now()
                return (true, arrival)
            }
            let returnValue = call()
            locked {
                if entered { alone = false }
                if let reader {
                    changesWaiting[reader]!.remove(arrival)
                    if changesWaiting[reader]!.isEmpty { changesWaiting[reader] = nil }
                }
                pthread_cond_broadcast(changed)
            }
            return returnValue
        }

        /// A transaction waits for another handle's on the same reader, and a new one for changes
        /// on that reader that arrived before it (the holder's nested one does not: they wait for it).
        private func mustWait(toBegin transaction: Holder, arrival: UInt64) -> Bool {
            if let holder = transactions[transaction.reader] { return holder.handle != transaction.handle }
            return changesWaiting[transaction.reader]?.contains { $0 < arrival } ?? false
        }

        private func nextArrival() -> UInt64 {
            arrivals += 1
            return arrivals
        }

        /// The end of the closed turn `time` falls in, or nil in an open turn.
        private func holdOffEnd(at time: UInt64) -> UInt64? {
            let phase = (time - turnsStart) % (2 * HandleListLock.holdOff)
            return phase < HandleListLock.holdOff ? time + HandleListLock.holdOff - phase : nil
        }

        private func locked<T>(_ body: () -> T) -> T {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return body()
        }

        private func wait(until deadline: UInt64) {
            var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            _ = pthread_cond_timedwait(changed, mutex, &time)
        }

        private func now() -> UInt64 {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
        }
    }
}
