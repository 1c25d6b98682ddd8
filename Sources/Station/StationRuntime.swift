import CardProfiles
import Foundation
import Logging
import PermitVocabulary
import Registry

/// What the daemon runs on: its configuration, its registry, its clock and its events. The registry and
/// the live options are swapped whole on reload (SIGHUP); the socket, the TCP port and the registry's
/// path keep their start-up values until a restart.
public final class StationRuntime: @unchecked Sendable {
    /// The version permitd reports (`permitd --version`, GET /status).
    public static let currentVersion = "0.1.0"

    public let configurationPath: String
    /// The one place the clock becomes a date (PermitVocabulary).
    public let calendar: StationCalendar
    public let events: StationEvents
    public let startedAt: Date
    public let version: String
    public let logger: Logger
    private let lock = NSLock()
    private var current: (configuration: StationConfiguration, registry: Registry)

    /// Loads the configuration and opens (creating if needed) the registry.
    public init(configurationPath: String, configuration: StationConfiguration, clock: StationClock, version: String, logger: Logger) throws {
        self.configurationPath = configurationPath
        let calendar = try StationCalendar(timeZoneIdentifier: configuration.timeZone, clock: clock)
        self.calendar = calendar
        events = StationEvents(now: { calendar.instant })
        startedAt = calendar.instant
        self.version = version
        self.logger = logger
        current = (configuration, try Self.openRegistry(configuration, calendar: calendar))
    }

    /// Writes the start to the audit log and, under a test clock, says so there and in the log.
    public func recordStart() throws {
        let notice = calendar.clock.testNotice
        if let notice { logger.warning("\(notice)") }
        try registry.appendAudit(AuditRecord(actor: "permitd", role: nil, act: "start", outcome: "started",
                                             detail: (["permitd \(version)"] + [notice].compactMap { $0 }).joined(separator: "; ")))
    }

    public var configuration: StationConfiguration { lock.withLock { current.configuration } }
    public var registry: Registry { lock.withLock { current.registry } }

    static func openRegistry(_ configuration: StationConfiguration, calendar: StationCalendar) throws -> Registry {
        let library = try ProfileLibrary(directory: configuration.profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        return try Registry(path: configuration.registry, station: configuration.station, policies: try library.policies(),
                            calendar: calendar)
    }

    /// Re-reads the configuration file and the profiles. A bad file changes nothing (the error says why).
    /// - Returns: the options that changed but take effect only after a restart.
    @discardableResult
    public func reload() throws -> [String] {
        let fresh = try StationConfiguration.load(path: configurationPath)
        let old = configuration
        var pending: [String] = []
        if fresh.socket != old.socket { pending.append("socket") }
        if fresh.tcp != old.tcp { pending.append("tcp") }
        if fresh.registry != old.registry { pending.append("registry") }
        if fresh.timeZone != old.timeZone { pending.append("time-zone") }
        var applied = fresh
        applied.socket = old.socket
        applied.tcp = old.tcp
        applied.registry = old.registry
        applied.timeZone = old.timeZone
        let registry = try Self.openRegistry(applied, calendar: calendar)
        lock.withLock { current = (applied, registry) }
        return pending
    }
}
