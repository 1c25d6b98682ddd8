import Foundation
import Lifecycle

/// One card product of one region: its chip layout, keys, crypto and lifecycle rules.
public struct CardProfile: Sendable, Hashable {
    /// The profile name; equals the file name without `.json`.
    public var name: String
    /// The region, for people (e.g. "浙江省 Zhejiang").
    public var region: String
    /// The region's lifecycle rules.
    public var policy: RegionPolicy

    public init(name: String, region: String, policy: RegionPolicy) {
        self.name = name
        self.region = region
        self.policy = policy
    }

    /// Reads and validates one profile file.
    public static func load(contentsOf file: URL) throws(ProfileError) -> CardProfile {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw .unreadable(file: file.path, reason: error.localizedDescription)
        }
        struct Minimal: Decodable {
            var profile: String
            var region: String
            var policy: RegionPolicy
        }
        let decoded: Minimal
        do {
            decoded = try JSONDecoder().decode(Minimal.self, from: data)
        } catch {
            throw .malformedJSON(file: file.path, reason: String(describing: error))
        }
        return CardProfile(name: decoded.profile, region: decoded.region, policy: decoded.policy)
    }
}
