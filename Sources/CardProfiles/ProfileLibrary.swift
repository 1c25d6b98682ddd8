import Foundation
import Lifecycle

/// The directory of card profiles (`cardprofiles/*.json`) and the way to load one by name.
///
/// A station, a test and the CLI must all find the same profiles without configuration,
/// so the directory is searched in a fixed order (see `init(directory:)`).
public struct ProfileLibrary: Sendable {
    /// The directory holding `<name>.json` files.
    public let directory: URL

    /// Environment variable naming the profiles directory, for installations outside the source tree.
    public static let environmentVariable = "PERMIT_PROFILES"
    /// The folder name searched for when no directory is given.
    public static let folderName = "cardprofiles"

    /// Uses `directory` when given; otherwise `$PERMIT_PROFILES`; otherwise the first `cardprofiles/`
    /// found walking up from the current directory; otherwise the first found walking up from the
    /// running executable (an installed `permit` next to its `share/`-less tree, or `.build/debug`).
    public init(
        directory: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
        executable: URL? = Bundle.main.executableURL
    ) throws(ProfileError) {
        if let directory {
            guard Self.isDirectory(directory) else { throw .directoryNotFound(directory.path) }
            self.directory = directory
            return
        }
        if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            let url = URL(fileURLWithPath: fromEnvironment, isDirectory: true)
            guard Self.isDirectory(url) else { throw .directoryNotFound(url.path) }
            self.directory = url
            return
        }
        let starts = [currentDirectory, executable?.deletingLastPathComponent()].compactMap { $0 }
        for start in starts {
            if let found = Self.searchUpwards(from: start) {
                self.directory = found
                return
            }
        }
        throw .directoryNotFound(nil)
    }

    /// The profile names available, sorted (file names without `.json`).
    public func names() throws(ProfileError) -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .unreadable(file: directory.path, reason: error.localizedDescription)
        }
        return entries
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(".json".count)) }
            .sorted()
    }

    /// Loads and validates the profile `<name>.json`.
    public func load(_ name: String) throws(ProfileError) -> CardProfile {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        let file = directory.appendingPathComponent(name + ".json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw .unknownProfile(name, available: (try? names()) ?? [], directory: directory.path)
        }
        return try CardProfile.load(contentsOf: file)
    }

    /// Every profile's lifecycle policy, by name: what a registry needs to apply the rules to permits of any of them.
    public func policies() throws(ProfileError) -> [String: RegionPolicy] {
        var result: [String: RegionPolicy] = [:]
        for name in try names() { result[name] = try load(name).policy }
        return result
    }

    /// The working-day calendar `holidays/<name>.json` in this directory.
    public func workingDayCalendar(_ name: String) throws(ProfileError) -> WorkingDayCalendar {
        guard Self.isValidName(name) else { throw .invalidName(name) }
        guard let calendar = try HolidayCalendarFile.load(name, in: directory) else {
            throw .unreadable(file: HolidayCalendarFile.file(name, in: directory).path, reason: "no such holiday calendar")
        }
        return calendar
    }

    /// Profile names are file names: letters, digits, `-` and `_`, so a name can never escape the directory.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_"
        }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    private static func searchUpwards(from start: URL) -> URL? {
        var current = start.standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(folderName, isDirectory: true)
            if isDirectory(candidate) { return candidate }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }
}
