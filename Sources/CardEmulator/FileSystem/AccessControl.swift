import Foundation

/// An operation on a file that an access rule can allow or forbid. The file system checks
/// `read`, `update` and `append`; an applet may define and check its own (e.g. `deactivate`).
public struct FileOperation: RawRepresentable, Hashable, Sendable, Codable, CodingKeyRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ name: String) { self.rawValue = name }

    public static let read = FileOperation("read")
    public static let update = FileOperation("update")
    public static let append = FileOperation("append")
}

/// When an operation is allowed, as alternatives of required grants (a disjunction of conjunctions):
/// satisfied when every grant of at least one alternative is held. The applet decides what a grant
/// means and when it is held (e.g. `role.issuer` after EXTERNAL AUTHENTICATE, `pin` after VERIFY,
/// `sm` for a command that arrived under a valid MAC).
///
/// Text form (state files, card profiles): `always`, `never`, or e.g. `role.issuer & sm | role.endorser & sm`.
public struct AccessCondition: Hashable, Sendable, CustomStringConvertible {
    public let alternatives: [Set<String>]

    public init(anyOf alternatives: [Set<String>]) { self.alternatives = alternatives }

    public static let always = AccessCondition(anyOf: [[]])
    public static let never = AccessCondition(anyOf: [])
    /// Every one of `grants` is required.
    public static func allOf(_ grants: String...) -> AccessCondition { AccessCondition(anyOf: [Set(grants)]) }

    public func isSatisfied(by grants: Set<String>) -> Bool {
        alternatives.contains { $0.isSubset(of: grants) }
    }

    /// Parses the text form; nil when a grant name is empty or contains spaces.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "always" { self = .always; return }
        if trimmed == "never" { self = .never; return }
        var alternatives: [Set<String>] = []
        for term in trimmed.split(separator: "|", omittingEmptySubsequences: false) {
            var grants: Set<String> = []
            for factor in term.split(separator: "&", omittingEmptySubsequences: false) {
                let name = factor.trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty, !name.contains(" "), name != "always", name != "never" else { return nil }
                grants.insert(name)
            }
            alternatives.append(grants)
        }
        self.alternatives = alternatives
    }

    public var description: String {
        if alternatives.isEmpty { return "never" }
        if alternatives.contains(where: \.isEmpty) { return "always" }
        return alternatives.map { $0.sorted().joined(separator: " & ") }.joined(separator: " | ")
    }
}

extension AccessCondition: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let condition = AccessCondition(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not an access condition: write always, never, or grants joined by & and |")
        }
        self = condition
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The access condition of each operation on one file; an operation not listed is never allowed.
public struct AccessRules: Hashable, Sendable, Codable {
    public var conditions: [FileOperation: AccessCondition]

    public init(_ conditions: [FileOperation: AccessCondition] = [:]) { self.conditions = conditions }

    /// Read, update and append always allowed: the demo card's files.
    public static let free = AccessRules([.read: .always, .update: .always, .append: .always])
    /// Read always allowed, writes never (identity files that only personalisation writes).
    public static let readOnly = AccessRules([.read: .always])

    public subscript(operation: FileOperation) -> AccessCondition {
        get { conditions[operation] ?? .never }
        set { conditions[operation] = newValue }
    }

    public init(from decoder: any Decoder) throws {
        conditions = try [FileOperation: AccessCondition](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try conditions.encode(to: encoder)
    }
}

/// The volatile security state: what has been proven since power-on. Maintained by the applet
/// (the ISO file system only reads it). Cleared at every power-on and reset.
public struct SecurityState: Hashable, Sendable {
    /// Grants held until power-off or until the applet revokes them.
    public var granted: Set<String> = []

    public init(granted: Set<String> = []) { self.granted = granted }
}
