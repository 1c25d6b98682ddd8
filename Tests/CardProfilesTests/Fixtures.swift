import Foundation
@testable import CardProfiles

/// The profile files under Tests/CardProfilesTests/Fixtures, found next to this source file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
    }

    /// The valid fixture as a JSON value, to be broken one place at a time.
    static func valid() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data("valid"))
    }

    /// Parses `value` as if it were the file valid.json.
    static func parse(_ value: JSONValue) throws(ProfileError) -> CardProfile {
        let data = try! JSONEncoder().encode(value)
        return try CardProfile.parse(data, file: "valid.json", expectedName: "valid")
    }
}

extension JSONValue {
    /// A copy with the value at `path` (e.g. `files[3].access.update`) replaced, or removed when `newValue` is nil.
    func setting(_ path: String, to newValue: JSONValue?) -> JSONValue {
        var components: [JSONPath.Component] = []
        for part in path.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                components.append(.key(String(rest[..<bracket])))
                rest = rest[bracket...]
                while let open = rest.firstIndex(of: "["), let close = rest.firstIndex(of: "]") {
                    components.append(.index(Int(rest[rest.index(after: open)..<close])!))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                components.append(.key(String(rest)))
            }
        }
        return setting(components[...], to: newValue)
    }

    private func setting(_ path: ArraySlice<JSONPath.Component>, to newValue: JSONValue?) -> JSONValue {
        guard let first = path.first else { return newValue ?? .null }
        let rest = path.dropFirst()
        switch (self, first) {
        case (.object(var members), .key(let key)):
            if rest.isEmpty, newValue == nil { members[key] = nil } else { members[key] = (members[key] ?? .null).setting(rest, to: newValue) }
            return .object(members)
        case (.array(var items), .index(let index)):
            if rest.isEmpty, newValue == nil { items.remove(at: index) } else { items[index] = items[index].setting(rest, to: newValue) }
            return .array(items)
        default:
            preconditionFailure("fixture path \(path) does not fit the fixture")
        }
    }
}
