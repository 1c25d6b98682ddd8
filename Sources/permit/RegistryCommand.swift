import ArgumentParser
import CardProfiles
import Foundation
import Lifecycle
import Registry

/// `permit registry`: the station's SQLite registry.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The station registry: create it, import applications, look up permits, list and apply due transitions, record cancellations, remind holders.",
        discussion: "The file is --db, else $\(RegistryOptions.environmentVariable), else ./\(RegistryOptions.defaultFile). See docs/REGISTRY.md.",
        subcommands: [RegistryInitCommand.self, RegistryImportCommand.self, RegistryShowCommand.self,
                      RegistryDueCommand.self, RegistrySweepCommand.self, RegistryCancelCommand.self, RegistryRemindCommand.self])
}

/// Options every `permit registry` subcommand takes.
struct RegistryOptions: ParsableArguments {
    static let environmentVariable = "PERMIT_REGISTRY"
    static let defaultFile = "permit-registry.sqlite"

    @Option(help: "Registry file (default: $PERMIT_REGISTRY, else ./permit-registry.sqlite).")
    var db: String?
    @Option(help: "Profiles directory (default: $PERMIT_PROFILES, else cardprofiles/ found upwards from here).")
    var profiles: String?
    @Option(help: "This station's name, stamped on every history row.")
    var station: String = ProcessInfo.processInfo.hostName
    @Option(help: "Who is acting, stamped on every history row (default: $USER).")
    var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "officer"
    @Option(help: "Seconds to wait for another process writing the same file.")
    var busyTimeout: Double = 5

    var path: String {
        db ?? ProcessInfo.processInfo.environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultFile
    }

    /// Every profile in the library, by name: permits of any of them can be swept.
    func policies() throws -> [String: RegionPolicy] {
        try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) }).policies()
    }

    func open() throws -> Registry {
        let policies = try policies()
        return try Registry(path: path, station: station, policies: policies, busyTimeout: busyTimeout, calendar: try calendar(policies))
    }

    /// The station calendar of the registry's region: the system clock in the one time zone its profiles name.
    func calendar(_ policies: [String: RegionPolicy]) throws -> StationCalendar {
        let zones = Set(policies.values.map(\.timeZone)).sorted()
        guard zones.count == 1 else {
            throw CommandError("The profiles name \(zones.isEmpty ? "no time zone" : "the time zones \(zones.joined(separator: ", "))"), so this station has no one date for today; keep one region's profiles in --profiles.")
        }
        return try StationCalendar(timeZoneIdentifier: zones[0])
    }

    /// `on` if given, else today on the station calendar of the registry's region.
    func date(_ on: CalendarDate?, policies: [String: RegionPolicy]) throws -> CalendarDate {
        try on ?? calendar(policies).today
    }
}
