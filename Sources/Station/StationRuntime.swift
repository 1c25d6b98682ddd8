import CardProfiles
import Foundation
import Logging
import Registry

/// What the daemon runs on: its configuration, its registry, its clock and its events. The registry and
/// the live options are swapped whole on reload (SIGHUP); the socket, the TCP port and the registry's
/// path keep their start-up values until a restart.
public final class StationRuntime: @unchecked Sendable {
    /// The version permitd reports (`permitd --version`, GET /status).
    public static let currentVersion = "0.1.0"

    public let configurationPath: String
    public let clock: StationClock
    public let events: StationEvents
    public let startedAt: Date
    public let version: String
    public let logger: Logger
    private let lock = NSLock()
    private var current: (configuration: StationConfiguration, registry: Registry)

    /// Loads the configuration and opens (creating if needed) the registry.
    public init(configurationPath: String, configuration: StationConfiguration, start: Date?, version: String, logger: Logger) throws {
        self.configurationPath = configurationPath
        guard let zone = TimeZone(identifier: configuration.timeZone) else { throw ConfigurationError.unreadable(path: configurationPath, reason: "bad time zone") }
        clock = StationClock(timeZone: zone, startingAt: start)
        events = StationEvents(clock: clock)
        startedAt = clock.now()
        self.version = version
        self.logger = logger
        current = (configuration, try Self.openRegistry(configuration, clock: clock))
    }

    public var configuration: StationConfiguration { lock.withLock { current.configuration } }
    public var registry: Registry { lock.withLock { current.registry } }

    static func openRegistry(_ configuration: StationConfiguration, clock: StationClock) throws -> Registry {
        let library = try ProfileLibrary(directory: configuration.profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        return try Registry(path: configuration.registry, station: configuration.station, policies: try library.policies(),
                            clock: clock.instantText)
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
        let registry = try Self.openRegistry(applied, clock: clock)
        lock.withLock { current = (applied, registry) }
        return pending
    }
}
