import Foundation
import Lifecycle
import PermitVocabulary

/// One card product of one region: its chip, file layout, access rules, keys, crypto suite and
/// lifecycle rules, read from `cardprofiles/<name>.json` (format: docs/PROFILE-FORMAT.md).
///
/// Everything that differs between regions or card products is here, so a new region is a new file.
public struct CardProfile: Sendable, Hashable {
    /// The profile name; equals the file name without `.json`.
    public var name: String
    /// The profile's version, raised on every change; written to each card at personalisation.
    public var version: Int
    /// The day this version was released.
    public var released: CalendarDate
    /// The region, for people (e.g. "浙江省 Zhejiang").
    public var region: String
    /// The region's 6-digit administrative division code (GB/T 2260), e.g. "330000".
    public var regionCode: String
    public var card: CardIdentity
    public var apdu: APDULimits
    public var suite: CryptoSuite
    /// The holder PIN; nil when the product has none.
    public var pin: PINPolicy?
    public var keys: [KeySpec]
    public var files: [FileSpec]
    public var commands: [ApplicationCommand: AccessRule]
    /// The names of the files whose digests the security object carries (it lists them by ascending FID).
    public var securityObjectCovers: [String]
    /// The region's lifecycle rules.
    public var policy: RegionPolicy
    /// The oldest status list a verifier accepts, in days after its day of issue (`verification.statusListMaxAgeDays`).
    public var statusListMaxAgeDays: Int

    /// What `statusListMaxAgeDays` is when a profile does not say: a week.
    public static let defaultStatusListMaxAgeDays = 7

    public init(
        name: String, version: Int, released: CalendarDate, region: String, regionCode: String,
        card: CardIdentity, apdu: APDULimits, suite: CryptoSuite, pin: PINPolicy?, keys: [KeySpec],
        files: [FileSpec], commands: [ApplicationCommand: AccessRule], securityObjectCovers: [String], policy: RegionPolicy,
        statusListMaxAgeDays: Int = CardProfile.defaultStatusListMaxAgeDays
    ) {
        self.name = name
        self.version = version
        self.released = released
        self.region = region
        self.regionCode = regionCode
        self.card = card
        self.apdu = apdu
        self.suite = suite
        self.pin = pin
        self.keys = keys
        self.files = files
        self.commands = commands
        self.securityObjectCovers = securityObjectCovers
        self.policy = policy
        self.statusListMaxAgeDays = statusListMaxAgeDays
    }

    /// The file that holds `content`. Every loaded profile has exactly one; a profile built in code
    /// without it is a programming error.
    public func file(holding content: FileContent) -> FileSpec {
        guard let file = files.first(where: { $0.content == content }) else {
            preconditionFailure("profile \(name) has no \(content.rawValue) file; load profiles through ProfileLibrary")
        }
        return file
    }

    /// The file named `name`, if any.
    public func file(named name: String) -> FileSpec? {
        files.first { $0.name == name }
    }

    /// The key held by `role`, if the profile defines one.
    public func key(for role: KeyRole) -> KeySpec? {
        keys.first { $0.role == role }
    }

    /// The key named `name`, if any.
    public func key(named name: String) -> KeySpec? {
        keys.first { $0.name == name }
    }

    /// Reads and validates one profile file; its name is the file name without `.json`. The policy's
    /// holiday calendar is read from `holidays/` beside it when that file exists (an invalid one is an error;
    /// without one, a deadline in working days says which file to install when it is asked for).
    public static func load(contentsOf file: URL) throws(ProfileError) -> CardProfile {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(file: file.path, reason: error.localizedDescription)
        }
        var profile = try parse(data, file: file.path, expectedName: file.deletingPathExtension().lastPathComponent)
        profile.policy.workingDays = try HolidayCalendarFile.load(profile.policy.holidayCalendar, in: file.deletingLastPathComponent())
        return profile
    }

    /// Validates profile JSON; `file` is used in error messages, `expectedName` (if given) must equal `profile`.
    public static func parse(_ data: Data, file: String, expectedName: String? = nil) throws(ProfileError) -> CardProfile {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw .malformedJSON(file: file, reason: Self.jsonSyntaxReason(error))
        }
        return try ProfileParser(file: file, expectedName: expectedName).parse(value)
    }

    private static func jsonSyntaxReason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return String(describing: error)
    }
}

extension CardProfile {
    /// The station's calendar for cards of this profile: `clock` read in the region's time zone. Every
    /// loaded profile names a zone this machine knows; a profile built in code without one is a programming error.
    public func calendar(clock: StationClock = .system) -> StationCalendar {
        do {
            return try StationCalendar(timeZoneIdentifier: policy.timeZone, clock: clock)
        } catch {
            preconditionFailure("profile \(name): \(error) Load profiles through ProfileLibrary.")
        }
    }
}
