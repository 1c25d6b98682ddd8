import Foundation
import Lifecycle

/// Reads the `policy` section with `RegionPolicy`'s own Codable conformance (the Lifecycle module owns
/// the type), adding what JSONDecoder leaves out: unknown keys and the policy's own plausibility rules.
enum PolicyParser {
    static func parse(_ node: ProfileNode) throws(ProfileError) -> RegionPolicy {
        guard case .object = node.value else { throw node.failure(.wrongType(expected: "an object", found: node.value.typeName)) }
        let policy: RegionPolicy
        do {
            let data = try JSONEncoder().encode(node.value)
            policy = try JSONDecoder().decode(RegionPolicy.self, from: data)
        } catch let error as DecodingError {
            throw failure(for: error, under: node)
        } catch {
            throw node.failure(.inconsistent("the policy could not be read: \(error)"))
        }
        try rejectUnknownKeys(in: node, known: encoded(policy))
        if let problem = policy.problems.first {
            let path = problem.path.hasPrefix("policy.") ? String(problem.path.dropFirst("policy.".count)) : problem.path
            var at = node.path
            for key in path.split(separator: ".") { at = at.appending(String(key)) }
            throw ProfileError.invalid(file: node.file, path: at.description, problem: .inconsistent(problem.problem))
        }
        // The rules check the name's shape; the station's calendar needs a zone this machine knows.
        if TimeZone(identifier: policy.timeZone) == nil {
            throw ProfileError.invalid(file: node.file, path: node.path.appending("timeZone").description, problem: .inconsistent(
                "\"\(policy.timeZone)\" is not a time zone this machine knows; use an IANA name such as Asia/Shanghai"))
        }
        return policy
    }

    /// The policy as JSON again: every key the type knows appears (optionals set to nil are absent).
    private static func encoded(_ policy: RegionPolicy) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(policy))) ?? .null
    }

    /// A key in the file that the type did not read back is unknown, except an explicit `null` for an optional.
    private static func rejectUnknownKeys(in node: ProfileNode, known: JSONValue) throws(ProfileError) {
        guard case .object(let members) = node.value, case .object(let knownMembers) = known else { return }
        for key in members.keys.sorted() {
            let child = ProfileNode(value: members[key]!, path: node.path.appending(key), file: node.file)
            guard let knownChild = knownMembers[key] else {
                if child.value == .null { continue }
                throw child.failure(.unknownKey(key, allowed: knownMembers.keys.sorted()))
            }
            try rejectUnknownKeys(in: child, known: knownChild)
        }
    }

    private static func failure(for error: DecodingError, under node: ProfileNode) -> ProfileError {
        func located(_ codingPath: [any CodingKey]) -> ProfileNode {
            var path = node.path
            for key in codingPath {
                if let index = key.intValue { path = path.appending(index) } else { path = path.appending(key.stringValue) }
            }
            return ProfileNode(value: .null, path: path, file: node.file)
        }
        switch error {
        case .keyNotFound(let key, let context):
            return located(context.codingPath + [key]).failure(.missingKey(key.stringValue))
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let place = located(context.codingPath)
            return place.failure(.wrongType(expected: expectedDescription(type, at: context.codingPath), found: foundType(at: context.codingPath, in: node.value)))
        case .dataCorrupted(let context):
            let place = located(context.codingPath)
            if let key = context.codingPath.last?.stringValue, let allowed = choices[key],
               case .string(let text) = value(at: context.codingPath, in: node.value) {
                return place.failure(.notOneOf(text, allowed: allowed))
            }
            return place.failure(.inconsistent("invalid value: \(context.debugDescription)"))
        @unknown default:
            return node.failure(.inconsistent("the policy could not be read: \(error)"))
        }
    }

    /// The words each enumerated policy key accepts, for the error naming them.
    private static let choices: [String: [String]] = [
        "unit": Period.Unit.allCases.map(\.rawValue),
        "periodCounting": PeriodCounting.allCases.map(\.rawValue),
        "validityAfterLateReset": ValidityAfterLateReset.allCases.map(\.rawValue),
        "cardPersonalisation": CardPersonalisation.allCases.map(\.rawValue),
        "validity": PointsRule.Validity.allCases.map(\.rawValue),
    ]

    private static func expectedDescription(_ type: Any.Type, at codingPath: [any CodingKey]) -> String {
        switch type {
        case is Int.Type, is Int?.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: codingPath.isEmpty ? "an object" : "a value of type \(type)"
        }
    }

    private static func value(at codingPath: [any CodingKey], in root: JSONValue) -> JSONValue? {
        var current = root
        for key in codingPath {
            switch current {
            case .object(let members): guard let next = members[key.stringValue] else { return nil }; current = next
            case .array(let items): guard let index = key.intValue, items.indices.contains(index) else { return nil }; current = items[index]
            default: return nil
            }
        }
        return current
    }

    private static func foundType(at codingPath: [any CodingKey], in root: JSONValue) -> String {
        value(at: codingPath, in: root)?.typeName ?? "nothing"
    }
}
