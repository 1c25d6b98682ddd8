import ArgumentParser
import CardProfiles
import Foundation
import Lifecycle
import Registry

/// `permit registry`: the station's SQLite registry.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The station registry: create it, import applications, look up permits, list and apply due transitions.",
        discussion: "The file is --db, else $\(RegistryOptions.environmentVariable), else ./\(RegistryOptions.defaultFile). See docs/REGISTRY.md.",
        subcommands: [RegistryInitCommand.self, RegistryImportCommand.self, RegistryShowCommand.self,
                      RegistryDueCommand.self, RegistrySweepCommand.self])
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
        let library = try ProfileLibrary(directory: profiles.map { URL(fileURLWithPath: $0, isDirectory: true) })
        var result: [String: RegionPolicy] = [:]
        for name in try library.names() { result[name] = try library.load(name).policy }
        return result
    }

    func open() throws -> Registry {
        try Registry(path: path, station: station, policies: policies(), busyTimeout: busyTimeout, clock: RegistryClock.instant)
    }

    /// `--on` if given, else today in the time zone of the registry's region.
    func date(_ text: String?, policies: [String: RegionPolicy]) throws -> CalendarDate {
        if let text { return try LifecycleArguments.date(text, option: "--on") }
        let zones = Set(policies.values.map(\.timeZone))
        return RegistryClock.today(timeZone: zones.count == 1 ? zones.first! : RegistryClock.defaultTimeZone)
    }
}
