import Foundation
import Testing
@testable import CardProfiles
import SeededRandom

/// Random damage to a valid profile must end in a load or a `ProfileError`, never in a crash, and an
/// `.invalid` error must point into the document (the path starts at a top-level key).
@Suite struct ProfileFuzzTests {

    static let replacements: [JSONValue] = [
        .null, .bool(true), .number(0), .number(-1), .number(1e300), .number(0.5), .number(70000),
        .string(""), .string("never"), .string("3F00"), .string("2026-13-01"), .string("issuingStation & pin"),
        .array([]), .array([.number(1)]), .object([:]), .object(["x": .number(1)]),
    ]

    static func paths(of value: JSONValue, prefix: String = "") -> [String] {
        switch value {
        case .object(let members):
            return members.keys.sorted().flatMap { key in
                let path = prefix.isEmpty ? key : prefix + "." + key
                return [path] + paths(of: members[key]!, prefix: path)
            }
        case .array(let items):
            return items.indices.flatMap { index in
                let path = prefix + "[\(index)]"
                return [path] + paths(of: items[index], prefix: path)
            }
        default:
            return []
        }
    }

    @Test(arguments: 0..<8)
    func damagedValuesGiveErrorsNotCrashes(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed))
        let valid = try Fixtures.valid()
        let paths = Self.paths(of: valid)
        let topLevelKeys = ProfileParser.topLevelKeys
        for _ in 0..<100 {
            let path = paths.randomElement(using: &random)!
            let replacement = Bool.random(using: &random) ? nil : Self.replacements.randomElement(using: &random)!
            do {
                _ = try Fixtures.parse(valid.setting(path, to: replacement))
            } catch {
                let errorPath = try #require(error.path, "\(error)")
                let head = String(errorPath.prefix { $0 != "." && $0 != "[" })
                #expect(topLevelKeys.contains(head), "\(path) → \(error)")
            }
        }
    }

    @Test(arguments: 0..<4)
    func damagedBytesGiveErrorsNotCrashes(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(1000 + seed))
        let original = Array(try Fixtures.data("valid"))
        for _ in 0..<100 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &random), at: index)
                default: bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
            }
            do {
                _ = try CardProfile.parse(Data(bytes), file: "valid.json", expectedName: "valid")
            } catch {
                switch error {
                case .malformedJSON, .invalid: break
                default: Issue.record("unexpected error kind: \(error)")
                }
            }
        }
    }
}
