import CardProfiles
import Foundation
import Logging
import PermitVocabulary
import Registry

/// What the daemon runs on: its configuration, its registry, its card profiles, its clock and its events. The
/// registry, the profiles and the live options are swapped whole on reload (SIGHUP); the socket, the TCP
/// port and the registry's path keep their start-up values until a restart.
public final class StationRuntime: Sendable {
    /// The version permitd reports (`permitd --version`, GET /status).
    public static let currentVersion = "0.1.0"

    public let configurationPath: String
    /// The one place the clock becomes a date (PermitVocabulary).
    public let calendar: StationCalendar
    public let events: StationEvents
    public let startedAt: Date
    public let version: String
    public let logger: Logger
    /// The registry behind its actor, for the card acts.
    public let store: RegistryStore
    private let current: Live

    /// What a reload swaps.
    final class Live: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (configuration: StationConfiguration, registry: Registry, profiles: [String: CardProfile])

        init(_ value: (StationConfiguration, Registry, [String: CardProfile])) { self.value = value }

        var configuration: StationConfiguration { lock.withLock { value.configuration } }
        var registry: Registry { lock.withLock { value.registry } }
        var profiles: [String: CardProfile] { lock.withLock { value.profiles } }
        func replace(_ new: (StationConfiguration, Registry, [String: CardProfile])) { lock.withLock { value = new } }
    }

    /// Loads the configuration and the profiles, and opens (creating if needed) the registry.
    public init(configurationPath: String, configuration: StationConfiguration, clock: StationClock, version: String, logger: Logger) throws {
        self.configurationPath = configurationPath
        let calendar = try StationCalendar(timeZoneIdentifier: configuration.timeZone, clock: clock)
        self.calendar = calendar
        events = StationEvents(now: { calendar.instant })
        startedAt = calendar.instant
        self.version = version
        self.logger = logger
        let (registry, profiles) = try Self.open(configuration, calendar: calendar)
        let live = Live((configuration, registry, profiles))
        current = live
        store = RegistryStore { live.registry }
    }

    /// Writes the start to the audit log and, under a test clock, says so there and in the log.
    public func recordStart() throws {
        let notice = calendar.clock.testNotice
        if let notice { logger.warning("\(notice)") }
        try registry.appendAudit(AuditRecord(actor: "permitd", role: nil, act: "start", outcome: "started",
                                             detail: (["permitd \(version)"] + [notice].compactMap { $0 }).joined(separator: "; ")))
    }

    public var configuration: StationConfiguration { current.configuration }
    public var registry: Registry { current.registry }
    /// The card profiles loaded, by name.
    public var profiles: [String: CardProfile] { current.profiles }

    static func open(_ configuration: StationConfiguration, calendar: StationCalendar) throws -> (Registry, [String: CardProfile]) {
        let library = try ProfileLibrary(directory: configuration.profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let profiles = try Dictionary(uniqueKeysWithValues: library.names().map { ($0, try library.load($0)) })
        let registry = try Registry(path: configuration.registry, station: configuration.station, policies: profiles.mapValues(\.policy),
                                    calendar: calendar)
        return (registry, profiles)
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
        if fresh.cards != old.cards { pending.append("cards") }
        var applied = fresh
        applied.socket = old.socket
        applied.tcp = old.tcp
        applied.registry = old.registry
        applied.timeZone = old.timeZone
        applied.cards = old.cards
        let (registry, profiles) = try Self.open(applied, calendar: calendar)
        current.replace((applied, registry, profiles))
        return pending
    }
}
