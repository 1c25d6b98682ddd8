import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM request a clean stop; SIGUSR1 pulls the card, SIGUSR2 puts it back.
/// `@unchecked`: `sources` is set once in `init` and only kept alive afterwards.
final class SignalWatcher: @unchecked Sendable {
    private let stop = Atomic<Bool>(false)
    private let handlers = Mutex<(remove: (@Sendable () -> Void)?, insert: (@Sendable () -> Void)?)>((nil, nil))
    private let sources: [any DispatchSourceSignal]

    init() {
        let queue = DispatchQueue(label: "permit-card.signals")
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM, SIGUSR1, SIGUSR2] {
            signal(signalNumber, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: signalNumber, queue: queue))
        }
        self.sources = sources
        for (source, signalNumber) in zip(sources, [SIGINT, SIGTERM, SIGUSR1, SIGUSR2]) {
            source.setEventHandler { [self] in
                switch signalNumber {
                case SIGUSR1: handlers.withLock { $0.remove }?()
                case SIGUSR2: handlers.withLock { $0.insert }?()
                default: stop.store(true, ordering: .sequentiallyConsistent)
                }
            }
            source.resume()
        }
    }

    var stopRequested: Bool { stop.load(ordering: .sequentiallyConsistent) }

    var onRemove: (@Sendable () -> Void)? {
        get { handlers.withLock { $0.remove } }
        set { handlers.withLock { $0.remove = newValue } }
    }

    var onInsert: (@Sendable () -> Void)? {
        get { handlers.withLock { $0.insert } }
        set { handlers.withLock { $0.insert = newValue } }
    }
}
