import Logging
import Metrics
import ServiceLifecycle
import SmartCard

/// Watches every reader through pcscd for as long as the daemon runs and records what it sees in
/// `StationEvents`. Survives pcscd going away and coming back (the events say so); an unexpected error
/// is logged and the watch starts again a second later.
public struct ReaderWatch: Service {
    let events: StationEvents
    let logger: Logger
    let readersGauge = Gauge(label: "permitstation_readers")
    let cardsGauge = Gauge(label: "permitstation_cards_present")
    let serviceGauge = Gauge(label: "permitstation_reader_service_up")

    public init(events: StationEvents, logger: Logger) {
        self.events = events
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await watch()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("reader watch failed; starting it again in 1 s", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func watch() async throws {
        let context = PCSCContext(callTimeout: .seconds(5))
        var iterator = context.events().makeAsyncIterator()
        // An empty reader list produces no event: ask once so the status says whether pcscd answers.
        if (try? await context.readerNames()) != nil { await events.serviceAnswered() }
        do {
            while let event = try await iterator.next() {
                logger.info("\(event)")
                await events.record(event)
                let readers = await events.readers
                readersGauge.record(readers.count)
                cardsGauge.record(readers.filter(\.hasCard).count)
                serviceGauge.record(await events.readerService == .down ? 0 : 1)
            }
        } catch {
            await iterator.close()
            await context.close()
            throw error
        }
        await iterator.close()
        await context.close()
    }
}
