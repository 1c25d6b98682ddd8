import Foundation
import Registry
import SmartCard

/// Something that happened at the station, as the event stream (/events) carries it.
public struct StationEvent: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case readerAdded, readerRemoved, cardInserted, cardRemoved, cardSwapped, serviceLost, serviceRestored
        case sweepFinished, configurationReloaded
        /// A card act began, reached a step, ended (`outcome`: done, refused or failed).
        case actStarted, actProgress, actFinished
        /// One finding of the reconciliation of a presented card (`outcome`: the finding's kind).
        case reconciled
    }

    /// A card act or a reconciliation, on the events that report it.
    public struct Act: Sendable, Hashable {
        /// One id per act, shared by its started, progress and finished events.
        public var operation: String
        public var act: String
        public var step: String?
        /// The card serial, once known.
        public var card: String?
        public var outcome: String?

        public init(operation: String, act: String, step: String? = nil, card: String? = nil, outcome: String? = nil) {
            self.operation = operation
            self.act = act
            self.step = step
            self.card = card
            self.outcome = outcome
        }
    }

    /// 1, 2, 3, ... per daemon run.
    public let sequence: Int
    public let at: Date
    public let kind: Kind
    public var reader: String?
    public var atr: [UInt8]?
    public var sweep: SweepRun?
    public var act: Act?
    public var message: String?

    init(sequence: Int, at: Date, kind: Kind, reader: String? = nil, atr: [UInt8]? = nil, sweep: SweepRun? = nil, act: Act? = nil,
         message: String? = nil) {
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.reader = reader
        self.atr = atr
        self.sweep = sweep
        self.act = act
        self.message = message
    }
}

extension StationEvent.Kind {
    /// The kind of a reader event, with its reader and ATR.
    static func of(_ event: ReaderEvent) -> (StationEvent.Kind, reader: String?, atr: [UInt8]?) {
        switch event {
        case .readerAdded(let name): (.readerAdded, name, nil)
        case .readerRemoved(let name): (.readerRemoved, name, nil)
        case .cardInserted(let reader, let atr): (.cardInserted, reader, atr)
        case .cardRemoved(let reader): (.cardRemoved, reader, nil)
        case .cardSwapped(let reader, let atr): (.cardSwapped, reader, atr)
        case .serviceLost: (.serviceLost, nil, nil)
        case .serviceRestored: (.serviceRestored, nil, nil)
        }
    }
}

/// A reader as the events have described it.
public struct ReaderState: Sendable, Hashable {
    public let name: String
    public var atr: [UInt8]?
    /// When its card last came or went (or the reader appeared).
    public var since: Date

    public var hasCard: Bool { atr != nil }
}

/// Whether pcscd answers the reader watch.
public enum ReaderService: String, Sendable {
    case starting, up, down
}

/// Fans events out to every subscriber (the API's event streams, the reconciler) and keeps the
/// readers' state they describe, so a new subscriber gets both in one step. A subscriber that falls
/// behind loses its oldest events rather than growing the daemon's memory.
public actor StationEvents {
    private var next = 1
    private var subscribers: [UUID: AsyncStream<StationEvent>.Continuation] = [:]
    private let now: @Sendable () -> Date
    public private(set) var readers: [ReaderState] = []
    public private(set) var readerService = ReaderService.starting
    /// Set when the daemon stops: later subscribers get a stream that has already ended.
    private var closed = false

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// Records a reader event in the readers' state and publishes it.
    public func record(_ readerEvent: ReaderEvent) {
        let (kind, reader, atr) = StationEvent.Kind.of(readerEvent)
        let now = now()
        switch readerEvent {
        case .readerAdded(let name): readers.append(ReaderState(name: name, atr: nil, since: now))
        case .readerRemoved(let name): readers.removeAll { $0.name == name }
        case .cardInserted(let name, let atr), .cardSwapped(let name, let atr): update(name) { $0.atr = atr; $0.since = now }
        case .cardRemoved(let name): update(name) { $0.atr = nil; $0.since = now }
        case .serviceLost: readerService = .down
        case .serviceRestored: readerService = .up
        }
        if readerService == .starting, case .readerAdded = readerEvent { readerService = .up }
        publish(kind, reader: reader, atr: atr)
    }

    /// The watch reached pcscd (it may list no reader at all).
    public func serviceAnswered() { if readerService == .starting { readerService = .up } }

    private func update(_ name: String, _ change: (inout ReaderState) -> Void) {
        guard let index = readers.firstIndex(where: { $0.name == name }) else { return }
        change(&readers[index])
    }

    @discardableResult
    public func publish(_ kind: StationEvent.Kind, reader: String? = nil, atr: [UInt8]? = nil,
                        sweep: SweepRun? = nil, act: StationEvent.Act? = nil, message: String? = nil) -> StationEvent {
        let event = StationEvent(sequence: next, at: now(), kind: kind, reader: reader, atr: atr, sweep: sweep, act: act, message: message)
        next += 1
        for continuation in subscribers.values { continuation.yield(event) }
        return event
    }

    /// The readers now and the events from now on, with nothing between them lost or doubled. The stream
    /// ends when `finishAll` is called (the daemon stops) or the consumer goes away.
    public func subscribe(buffer: Int = 256) -> (readers: [ReaderState], events: AsyncStream<StationEvent>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<StationEvent>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in Task { await self?.remove(id) } }
        if closed {
            continuation.finish()
        } else {
            subscribers[id] = continuation
        }
        return (readers, stream)
    }

    public var subscriberCount: Int { subscribers.count }

    /// Ends every stream: the daemon is stopping.
    public func finishAll() {
        closed = true
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
    }

    private func remove(_ id: UUID) { subscribers[id] = nil }
}
