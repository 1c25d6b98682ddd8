import CPCSCLite
import Foundation

/// Reader and card events as an AsyncSequence. Each iteration pass waits, on its own thread
/// and its own PC/SC context, for pcscd to report a change (SCardGetStatusChange), in slices
/// so cancellation and pcscd restarts are noticed promptly. The watch is pull-based: a swap
/// that happens while the consumer is busy shows as `cardSwapped` on its next look.
public struct ReaderEvents: AsyncSequence, Sendable {
    public typealias Element = ReaderEvent
    let callTimeout: Duration
    let waitSlice: Duration
    let retryInterval: Duration

    public func makeAsyncIterator() -> Iterator {
        Iterator(watcher: ReaderWatcher(callTimeout: callTimeout, waitSlice: waitSlice, retryInterval: retryInterval))
    }

    public struct Iterator: AsyncIteratorProtocol {
        let watcher: ReaderWatcher
        var pending: [ReaderEvent] = []

        /// The next event; `nil` once the consuming task is cancelled.
        public mutating func next() async throws -> ReaderEvent? {
            while pending.isEmpty {
                if Task.isCancelled { return nil }
                let watcher = watcher
                pending = try await withTaskCancellationHandler {
                    try await watcher.look()
                } onCancel: {
                    watcher.session.cancelWait()
                }
            }
            return pending.removeFirst()
        }

        /// Releases the watch's PC/SC context now (before a program exits); the iterator
        /// ends. Without this it is released when the iterator goes away.
        public mutating func close() async {
            pending = []
            watcher.session.cancelWait()
            await watcher.session.close()
        }
    }
}

/// The watch's state, touched only on its session's thread.
final class ReaderWatcher: @unchecked Sendable {
    let session: PCSCSession
    private let waitSlice: Duration
    private let retryInterval: Duration
    private var tracker = ReaderTracker()
    private var stateSet: ReaderStateSet?
    /// nil until the first look: the first failure to reach pcscd is reported too.
    private var serviceUp: Bool?

    init(callTimeout: Duration, waitSlice: Duration, retryInterval: Duration) {
        session = PCSCSession(name: "pcsc-watch", callTimeout: callTimeout)
        self.waitSlice = waitSlice
        self.retryInterval = retryInterval
    }

    /// One bounded wait; returns the events it saw (often none).
    func look() async throws -> [ReaderEvent] {
        let limit = session.callTimeout + waitSlice
        return try await session.worker.run(
            timeout: limit,
            timeoutError: { SmartCardError.timedOut(step: .waitForEvents, reader: nil, seconds: limit.seconds) }
        ) { [self] in try step() }
    }

    private func step() throws(PCSCError) -> [ReaderEvent] {
        do {
            return try observe(try session.context())
        } catch where error.meansServiceLost {
            session.drop()
            stateSet = nil
            let wasUp = serviceUp
            serviceUp = false
            if wasUp != false { return [.serviceLost] + tracker.update([]) }
            Thread.sleep(forTimeInterval: retryInterval.seconds)
            return []
        } catch where error.code == .unknownReader || error.code == .cancelled {
            stateSet = nil  // a reader left between listing and waiting, or the consumer cancelled
            return []
        }
    }

    private func observe(_ context: SCARDCONTEXT) throws(PCSCError) -> [ReaderEvent] {
        var events: [ReaderEvent] = []
        if serviceUp != true {
            if serviceUp == false { events.append(.serviceRestored) }
            serviceUp = true
            stateSet = nil
        }
        if let stateSet {
            let (changed, readersMoved) = try stateSet.wait(context, milliseconds: waitSlice.milliseconds)
            guard changed else { return events }
            if !readersMoved { return events + tracker.update(stateSet.statuses) }
        }
        let fresh = ReaderStateSet(names: try listReaderNames(context), watchPlugAndPlay: true)
        _ = try fresh.wait(context, milliseconds: 0)
        stateSet = fresh
        return events + tracker.update(fresh.statuses)
    }
}
