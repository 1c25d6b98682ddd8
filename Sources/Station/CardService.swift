import CardProfiles
import Foundation
import Logging
import Metrics
import PermitCard
import Registry
import ServiceLifecycle

/// The card acts as the daemon runs them: each in its reader (`CardDesk`), announced step by step on the
/// event stream, counted in the metrics; and, as a service, every card presented reconciled with the
/// registry (its pending intent settled first), each finding an event and an audit entry.
public final class CardService: Service, Sendable {
    let runtime: StationRuntime
    public let desk: CardDesk
    let credentials: StationCredentials

    public init(runtime: StationRuntime, credentials: StationCredentials) {
        self.runtime = runtime
        self.credentials = credentials
        desk = CardDesk(terminal: { try credentials.terminal(for: $0) }, profiles: { Array(runtime.profiles.values) })
    }

    /// The acts on this station's registry, profiles and clock.
    public var acts: StationActs {
        StationActs(registry: runtime.store, profiles: runtime.profiles, clock: runtime.calendar.clock, station: credentials.station,
                    authority: credentials.authority, centralOffice: credentials.centralOffice)
    }

    /// Runs `body` with the card in `reader`, announcing it as `act` on the event stream and counting it.
    public func perform(_ act: String, in reader: String, agent: Agent,
                        _ body: @escaping @Sendable (StationActs, PermitCard, @escaping StationActs.Progress) async throws(StationActError) -> StationActs.Outcome)
        async throws(StationActError) -> StationActs.Outcome {
        let operation = UUID().uuidString
        let events = runtime.events
        await events.publish(.actStarted, reader: reader, act: .init(operation: operation, act: act))
        let progress: StationActs.Progress = { step in
            await events.publish(.actProgress, reader: reader, act: .init(operation: operation, act: act, step: step.rawValue))
        }
        let acts = acts
        do {
            let outcome = try await desk.withCard(in: reader, for: .act(act, by: agent.name)) { card in
                try await Self.typed { () throws(StationActError) in try await body(acts, card, progress) }
            }
            await finish(operation, act: act, reader: reader, card: outcome.serial, outcome: "done", message: outcome.summary)
            Counter(label: "permitstation_card_acts_total", dimensions: [("act", act), ("outcome", "done")]).increment()
            Metrics.Timer(label: "permitstation_card_act_daemon_seconds", dimensions: [("act", act)])
                .recordNanoseconds(Int64((outcome.totalTime - outcome.cardTime).nanoseconds))
            Metrics.Timer(label: "permitstation_card_act_seconds", dimensions: [("act", act)]).recordNanoseconds(Int64(outcome.totalTime.nanoseconds))
            await recordPendingIntents()
            return outcome
        } catch {
            let failure = error as? StationActError ?? StationActError(.unavailable, "\(error)")
            let outcome = failure.kind == .unavailable ? "failed" : "refused"
            await finish(operation, act: act, reader: reader, card: nil, outcome: outcome, message: failure.description)
            Counter(label: "permitstation_card_acts_total", dimensions: [("act", act), ("outcome", outcome)]).increment()
            await recordPendingIntents()
            throw failure
        }
    }

    /// Reads and verifies the card in `reader`, writing nothing.
    public func verify(in reader: String) async throws(StationActError) -> Presentation {
        let acts = acts
        do {
            return try await desk.withCard(in: reader, for: .reconciliation) { card in
                try await Self.typed { () throws(StationActError) in try await acts.verify(card) }
            }
        } catch { throw error as? StationActError ?? StationActError(.unavailable, "\(error)") }
    }

    private func finish(_ operation: String, act: String, reader: String, card: String?, outcome: String, message: String) async {
        await runtime.events.publish(.actFinished, reader: reader, act: .init(operation: operation, act: act, card: card, outcome: outcome),
                                     message: message)
        runtime.logger.info("\(act) in \(reader): \(outcome): \(message)")
    }

    /// The pending intents gauge, from the registry.
    func recordPendingIntents() async {
        let counts = try? await runtime.store.run { registry throws(RegistryError) in try registry.intentCounts() }
        Gauge(label: "permitstation_intents_pending").record(counts?[.pending] ?? 0)
    }

    // MARK: Reconciliation (the service)

    /// Reconciles every card present at start and every card presented after, until the daemon stops; a
    /// reconciliation in hand then finishes.
    public func run() async throws {
        await recordPendingIntents()
        let (present, stream) = await runtime.events.subscribe()
        await withDiscardingTaskGroup { group in
            for reader in present where reader.hasCard {
                group.addTask { await self.reconcile(in: reader.name) }
            }
            for await event in stream.cancelOnGracefulShutdown() {
                guard event.kind == .cardInserted || event.kind == .cardSwapped, let reader = event.reader else { continue }
                group.addTask { await self.reconcile(in: reader) }
            }
        }
        // The event stream ends when the daemon stops (EventStreamCloser): wait for this service's own turn to stop.
        try? await gracefulShutdown()
    }

    /// Reconciles the card in `reader`: each finding an event, a log line and a metric.
    public func reconcile(in reader: String) async {
        let acts = acts
        let operation = UUID().uuidString
        let events = runtime.events
        let progress: StationActs.Progress = { step in
            await events.publish(.actProgress, reader: reader, act: .init(operation: operation, act: "reconcile", step: step.rawValue))
        }
        let result: Reconciliation
        do {
            result = try await desk.withCard(in: reader, for: .reconciliation) { card in await acts.reconcile(card, progress: progress) }
        } catch {
            // The card left before it could be read, or is not a permit card: nothing to reconcile.
            runtime.logger.info("reconciliation in \(reader) did not run: \(error)")
            return
        }
        for finding in result.findings {
            await events.publish(.reconciled, reader: reader, act: .init(operation: operation, act: "reconcile", card: result.serial, outcome: finding.kind),
                                 message: finding.sentence)
            let level: Logger.Level = if case .alert = finding { .warning } else { .info }
            runtime.logger.log(level: level, "reconciliation in \(reader): \(finding.kind): \(finding.sentence)")
            Counter(label: "permitstation_reconciliations_total", dimensions: [("finding", finding.kind)]).increment()
        }
        await recordPendingIntents()
    }

    /// Runs a typed-throwing body where an untyped one is expected.
    static func typed<T>(_ body: () async throws(StationActError) -> T) async throws -> T { try await body() }
}

extension Duration {
    /// Whole nanoseconds (metrics record durations so).
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

extension CardService {
    /// Runs `body` with the card in a second reader (the old card of a replacement), held for the same agent's act.
    public func withSecondCard<T: Sendable>(in reader: String, for agent: Agent,
                                            _ body: @escaping @Sendable (PermitCard) async throws(StationActError) -> T) async throws(StationActError) -> T {
        do {
            return try await desk.withCard(in: reader, for: .act("replace", by: agent.name)) { card in
                try await Self.typed { () throws(StationActError) in try await body(card) }
            }
        } catch { throw error as? StationActError ?? StationActError(.unavailable, "\(error)") }
    }
}
