import ArgumentParser
import Foundation
import Logging
import Metrics
import PermitVocabulary
import Prometheus
import ServiceLifecycle
import Station
import StationAPI

/// The station daemon: watches the readers, runs the daily sweep and serves the local API until SIGTERM
/// (finish what is in hand, then stop); SIGHUP reloads the configuration and the profiles.
@main
struct Permitd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "permitd",
        abstract: "The PermitStation daemon: reader watch, daily sweep and the local API (docs/STATION.md).",
        version: StationRuntime.currentVersion)

    @Option(help: "The configuration file (YAML).")
    var config: String = StationConfiguration.defaultPath

    @Option(help: ArgumentHelp("Run on a test clock stopped at noon of this day (YYYY-MM-DD), for tests and the demo; logged and written to the audit log (docs/CLOCK.md).", visibility: .hidden))
    var testClock: String?

    @Flag(help: "Check the configuration file and exit.")
    var check = false

    func run() async throws {
        let configuration: StationConfiguration
        do {
            configuration = try StationConfiguration.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("permitd: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        if check {
            print("\(config): valid.")
            return
        }
        let level = LogLevelSetting(configuration.logLevel)
        LoggingSystem.bootstrap { label in ReloadableLogHandler(label: label, level: level) }
        let logger = Logger(label: "permitd")
        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        do {
            let clock = try testClock.map { text throws -> StationClock in
                guard let day = CalendarDate(iso: text) else {
                    throw ValidationError("--test-clock: \"\(text)\" is not a calendar date; write it as YYYY-MM-DD (for example 2026-06-01).")
                }
                return .test(day: day)
            } ?? .system
            let runtime = try StationRuntime(configurationPath: config, configuration: configuration, clock: clock,
                                             version: StationRuntime.currentVersion, logger: logger)
            try runtime.recordStart()
            let sweep = DailySweep(runtime: runtime)
            var services: [any Service] = [ReaderWatch(events: runtime.events, logger: logger), sweep,
                                           ReloadOnHangUp(runtime: runtime, level: level)]
            // Card acts and the reconciliation of presented cards, when the station holds card keys.
            let credentials = try StationCredentials.load(configuration)
            if let credentials, clock.testDay != nil, !credentials.trust.root.isTestAuthority {
                throw CredentialsError("--test-clock: \(credentials.trust.root) is not a test authority's root, so this station signs by the system clock only; remove --test-clock (docs/CLOCK.md)")
            }
            let cards = credentials.map { CardService(runtime: runtime, credentials: $0) }
            if let cards { services.append(cards) } else { logger.notice("no cards.keys configured: no card acts, no reconciliation") }
            services += try StationServer.applications(runtime: runtime, sweep: sweep, cards: cards, metrics: metrics)
            // Shut down first: ends the event streams, so the servers' in-flight requests can finish.
            services.append(EventStreamCloser(events: runtime.events))
            logger.notice("permitd \(StationRuntime.currentVersion) starting: registry \(configuration.registry), station \(configuration.station), today \(runtime.calendar.today)")
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            logger.notice("permitd stopped")
        } catch let error as ValidationError {
            throw error
        } catch {
            logger.critical("permitd cannot run: \(error)")
            FileHandle.standardError.write(Data("permitd: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// On graceful shutdown, ends every event stream so that the servers can finish.
struct EventStreamCloser: Service {
    let events: StationEvents

    func run() async throws {
        try? await gracefulShutdown()
        await events.finishAll()
    }
}
