import Foundation
import Testing
@testable import CardProfiles

/// One defect put into the valid fixture, and the error it must give.
struct Defect: Sendable, CustomTestStringConvertible {
    let label: String
    /// Changes to the valid fixture: path and new value (nil removes the key or element).
    let changes: [(String, JSONValue?)]
    let expectedPath: String
    let expected: @Sendable (ProfileProblem) -> Bool

    init(_ label: String, set path: String, to value: JSONValue?, at expectedPath: String? = nil,
         _ expected: @escaping @Sendable (ProfileProblem) -> Bool) {
        self.init(label, changes: [(path, value)], at: expectedPath ?? path, expected)
    }

    init(_ label: String, changes: [(String, JSONValue?)], at expectedPath: String,
         _ expected: @escaping @Sendable (ProfileProblem) -> Bool) {
        self.label = label
        self.changes = changes
        self.expectedPath = expectedPath
        self.expected = expected
    }

    var testDescription: String { label }
}

// Indices of the valid fixture's files: 0 card, 1 holder, 2 residence, 3 endorsements, 4 status, 5 chipKey, 6 securityObject.
let defects: [Defect] = [
    Defect("unknown top-level key", set: "polcy", to: .object([:])) {
        if case .unknownKey("polcy", let allowed) = $0 { allowed.contains("policy") } else { false }
    },
    Defect("unknown key in a file", set: "files[2].acess", to: .string("always")) {
        if case .unknownKey("acess", _) = $0 { true } else { false }
    },
    Defect("size key on a record file", set: "files[3].size", to: .number(100)) {
        if case .unknownKey("size", let allowed) = $0 { allowed.contains("recordLength") } else { false }
    },
    Defect("append on a transparent file", set: "files[1].access.append", to: .string("never")) {
        if case .unknownKey("append", _) = $0 { true } else { false }
    },
    Defect("missing access operation", set: "files[3].access.update", to: nil) { $0 == .missingKey("update") },
    Defect("missing top-level section", set: "commands", to: nil) { $0 == .missingKey("commands") },
    Defect("wrong type", set: "version", to: .string("1")) { $0 == .wrongType(expected: "a whole number", found: "a string") },
    Defect("fraction", set: "files[3].recordCount", to: .number(2.5)) { $0 == .notAWholeNumber(2.5) },
    Defect("files not an array", set: "files", to: .object([:])) { $0 == .wrongType(expected: "an array", found: "an object") },
    Defect("record length 0", set: "files[3].recordLength", to: .number(0)) { isImpossibleSize($0, mentioning: "1 to 255") },
    Defect("record length over 255", set: "files[3].recordLength", to: .number(300)) { isImpossibleSize($0, mentioning: "1 to 255") },
    Defect("record shorter than its encoding", set: "files[3].recordLength", to: .number(50)) { isImpossibleSize($0, mentioning: "at least 95") },
    Defect("record count 0", set: "files[3].recordCount", to: .number(0)) { isImpossibleSize($0, mentioning: "1 to 254") },
    Defect("residence not two slots", set: "files[2].recordCount", to: .number(3)) { isImpossibleSize($0, mentioning: "exactly 2") },
    Defect("transparent file beyond 32767", set: "files[1].size", to: .number(40000)) { isImpossibleSize($0, mentioning: "32767") },
    Defect("files beyond card memory", set: "card.memory", to: .number(2048), at: "files") { isImpossibleSize($0, mentioning: "card.memory") },
    Defect("record too long for the APDU limit",
           changes: [("apdu.extendedLength", .bool(false)), ("apdu.maxCommandData", .number(200)), ("apdu.maxResponseData", .number(256))],
           at: "files[2].recordLength") { isImpossibleSize($0, mentioning: "maxCommandData") },
    Defect("duplicate FID", set: "files[1].fid", to: .string("0101")) {
        $0 == .duplicate(kind: "FID", value: "0101", firstAt: "files[0].fid")
    },
    Defect("duplicate SFI", set: "files[4].sfi", to: .number(2)) { $0 == .duplicate(kind: "SFI", value: "2", firstAt: "files[1].sfi") },
    Defect("duplicate file name", set: "files[4].name", to: .string("card")) {
        $0 == .duplicate(kind: "file name", value: "card", firstAt: "files[0].name")
    },
    Defect("reserved FID", set: "files[0].fid", to: .string("3F00")) { isBadHex($0, mentioning: "reserved") },
    Defect("FID of 3 bytes", set: "files[0].fid", to: .string("010101")) { isBadHex($0, mentioning: "2 bytes") },
    Defect("SFI out of range", set: "files[0].sfi", to: .number(31)) { $0 == .outOfRange(31, allowed: 1...30) },
    Defect("structure wrong for content", set: "files[4].structure", to: .string("linear-fixed"), at: "files[4].structure") {
        if case .inconsistent(let text) = $0 { text.contains("cyclic") } else { false }
    },
    Defect("unknown structure", set: "files[4].structure", to: .string("ring")) {
        $0 == .notOneOf("ring", allowed: ["transparent", "linear-fixed", "linear-variable", "cyclic"])
    },
    Defect("content missing", set: "files[5]", to: nil, at: "files") {
        if case .inconsistent(let text) = $0 { text.contains("chipPublicKey") } else { false }
    },
    Defect("bad ATR hex", set: "card.atr", to: .string("3B 8G")) { isBadHex($0, mentioning: "hexadecimal") },
    Defect("odd ATR digits", set: "card.atr", to: .string("3B8")) { isBadHex($0, mentioning: "even number") },
    Defect("ATR without TS", set: "card.atr", to: .string("3A 8C 80 01")) { isBadHex($0, mentioning: "TS") },
    Defect("ATR mask of another length", set: "card.atrMask", to: .string("FF FF")) { isBadHex($0, mentioning: "17 bytes") },
    Defect("AID too short", set: "card.aid", to: .string("D1 56 00 00")) { isBadHex($0, mentioning: "5 to 16 bytes") },
    Defect("AID of no RID category", set: "card.aid", to: .string("11 56 00 00 99")) { isBadHex($0, mentioning: "first digit") },
    Defect("impossible date", set: "released", to: .string("2026-02-30")) { $0 == .badDate("2026-02-30") },
    Defect("date in another format", set: "released", to: .string("22/11/2026")) { $0 == .badDate("22/11/2026") },
    Defect("dangling key in an access rule", set: "files[3].access.append.operational", to: .string("issuingStation | kiosk")) {
        if case .danglingReference(kind: "key", name: "kiosk", let known) = $0 { known.contains("endorsingStation") } else { false }
    },
    Defect("pin without a pin section", set: "pin", to: nil, at: "files[3].access.append.operational") {
        if case .danglingReference(_, name: "pin", _) = $0 { true } else { false }
    },
    Defect("access condition syntax", set: "files[0].access.read", to: .string("issuingStation |")) {
        if case .badAccessCondition(_, let reason) = $0 { reason.contains("empty") } else { false }
    },
    Defect("always combined", set: "files[0].access.read", to: .string("always | pin")) {
        if case .badAccessCondition(_, let reason) = $0 { reason.contains("combined") } else { false }
    },
    Defect("phase missing in a rule", set: "commands.finalise.operational", to: nil) { $0 == .missingKey("operational") },
    Defect("a previous key version not below the current one", set: "keys[0].previous",
           to: .array([.object(["version": .number(1), "master": .string("old-issuing")])]), at: "keys[0].previous[0].version") {
        if case .inconsistent(let text) = $0 { text.contains("below the current version") } else { false }
    },
    Defect("a previous key version twice", changes: [("keys[0].version", .number(3)), ("keys[0].previous", .array([
        .object(["version": .number(1), "master": .string("old-a")]), .object(["version": .number(1), "master": .string("old-b")]),
    ]))], at: "keys[0].previous[1].version") {
        if case .duplicate(kind: "previous key version", value: "1", _) = $0 { true } else { false }
    },
    Defect("a command of protocol v1", set: "commands.internalAuthenticate", to: .string("always")) {
        if case .unknownKey("internalAuthenticate", _) = $0 { true } else { false }
    },
    Defect("unknown command", set: "commands.selfDestruct", to: .string("never")) {
        if case .unknownKey("selfDestruct", _) = $0 { true } else { false }
    },
    Defect("dangling file in the security object", set: "securityObject.covers[1]", to: .string("photo")) {
        if case .danglingReference(kind: "file", name: "photo", _) = $0 { true } else { false }
    },
    Defect("security object covering a record file", set: "securityObject.covers[1]", to: .string("status")) {
        if case .inconsistent(let text) = $0 { text.contains("record files") } else { false }
    },
    Defect("security object not covering holder", set: "securityObject.covers[1]", to: nil, at: "securityObject.covers") {
        if case .inconsistent(let text) = $0 { text.contains("holder") } else { false }
    },
    Defect("unknown suite", set: "crypto.suite", to: .string("quantum")) { $0 == .notOneOf("quantum", allowed: ["international", "national"]) },
    Defect("duplicate key number", set: "keys[1].number", to: .number(1)) {
        $0 == .duplicate(kind: "key number", value: "1", firstAt: "keys[0].number")
    },
    Defect("two keys for one role", set: "keys[2].role", to: .string("endorsingStation")) {
        $0 == .duplicate(kind: "role", value: "endorsingStation", firstAt: "keys[1].role")
    },
    Defect("key number out of range", set: "keys[0].number", to: .number(32)) { $0 == .outOfRange(32, allowed: 1...31) },
    Defect("diversification without the serial", set: "keys[0].diversification.context", to: .array([.string("aid")])) {
        if case .inconsistent(let text) = $0 { text.contains("cardSerial") } else { false }
    },
    Defect("unknown diversification algorithm", set: "keys[0].diversification.algorithm", to: .string("xor")) {
        $0 == .notOneOf("xor", allowed: ["sp800-108-cmac"])
    },
    Defect("no issuing key", changes: [("keys[2]", nil), ("keys[0].role", .string("readingTerminal"))], at: "keys") {
        if case .inconsistent(let text) = $0 { text.contains("issuingStation") } else { false }
    },
    Defect("PIN longer than allowed", set: "pin.maxLength", to: .number(3)) { $0 == .outOfRange(3, allowed: 4...12) },
    Defect("short APDU with a long limit",
           changes: [("apdu.extendedLength", .bool(false))], at: "apdu.maxCommandData") { $0 == .outOfRange(4096, allowed: 1...255) },
    Defect("profile name differs from the file name", set: "profile", to: .string("zhejiang")) {
        if case .inconsistent(let text) = $0 { text.contains("valid.json") } else { false }
    },
    Defect("format version from the future", set: "format", to: .number(2)) {
        if case .inconsistent(let text) = $0 { text.contains("format 1") } else { false }
    },
    Defect("region code not 6 digits", set: "regionCode", to: .string("15")) {
        if case .badText("15", _) = $0 { true } else { false }
    },
    Defect("policy: wrong type", set: "policy.validityMonths", to: .string("twelve")) {
        $0 == .wrongType(expected: "a whole number", found: "a string")
    },
    Defect("policy: unknown key", set: "policy.graceDays", to: .number(30)) {
        if case .unknownKey("graceDays", let allowed) = $0 { allowed.contains("continuityGrace") } else { false }
    },
    Defect("policy: unknown nested key", set: "policy.endorsementWindow.length", to: .number(30)) {
        if case .unknownKey("length", _) = $0 { true } else { false }
    },
    Defect("policy: missing key", set: "policy.timeZone", to: nil) { $0 == .missingKey("timeZone") },
    Defect("policy: unknown unit", set: "policy.endorsementWindow.unit", to: .string("weeks")) {
        $0 == .notOneOf("weeks", allowed: ["days", "workingDays", "months"])
    },
    Defect("policy: negative grace", set: "policy.continuityGrace.count", to: .number(-1)) {
        if case .inconsistent(let text) = $0 { text.contains("negative") } else { false }
    },
    Defect("policy: due for cancellation inside the continuity grace", set: "policy.cancellationDueAfterOverdueDays", to: .number(10)) {
        if case .inconsistent(let text) = $0 { text.contains("before its continuity grace ends") } else { false }
    },
    Defect("policy: unknown counting convention", set: "policy.periodCounting", to: .string("inclusive")) {
        $0 == .notOneOf("inclusive", allowed: ["startDayExcluded", "startDayIncluded"])
    },
    Defect("policy: unknown card personalisation", set: "policy.cardPersonalisation", to: .string("kiosk")) {
        $0 == .notOneOf("kiosk", allowed: ["station", "centralOffice"])
    },
    Defect("policy: window longer than validity", set: "policy.endorsementWindow.count", to: .number(400), at: "policy.endorsementWindow") {
        if case .inconsistent(let text) = $0 { text.contains("shorter") } else { false }
    },
    // The right shape, but no zone the station's calendar could count days in (there is no fallback zone).
    Defect("policy: unknown time zone", set: "policy.timeZone", to: .string("Mars/Olympus")) {
        if case .inconsistent(let text) = $0 { text.contains("not a time zone this machine knows") } else { false }
    },
]

func isImpossibleSize(_ problem: ProfileProblem, mentioning text: String) -> Bool {
    if case .impossibleSize(let reason) = problem { return reason.contains(text) }
    return false
}

func isBadHex(_ problem: ProfileProblem, mentioning text: String) -> Bool {
    if case .badHex(_, let reason) = problem { return reason.contains(text) }
    return false
}

@Suite struct ProfileValidationTests {
    @Test func theValidFixtureLoads() throws {
        let profile = try Fixtures.parse(Fixtures.valid())
        #expect(profile.name == "valid")
        #expect(profile.files.count == FileContent.allCases.count)
    }

    @Test(arguments: defects)
    func eachDefectGivesItsOwnErrorAtItsPath(defect: Defect) throws {
        var value = try Fixtures.valid()
        for (path, newValue) in defect.changes { value = value.setting(path, to: newValue) }
        let error = try #require(throws: ProfileError.self) { try Fixtures.parse(value) }
        #expect(error.path == defect.expectedPath, "\(error)")
        let problem = try #require(error.problem, "\(error)")
        #expect(defect.expected(problem), "\(error)")
        #expect(error.description.hasPrefix("Card profile valid.json, at \(defect.expectedPath): "))
    }

    @Test func messageSaysWhatToFix() throws {
        let value = try Fixtures.valid().setting("files[3].access.append.operational", to: .string("kiosk"))
        let error = try #require(throws: ProfileError.self) { try Fixtures.parse(value) }
        #expect(error.description == """
            Card profile valid.json, at files[3].access.append.operational: "kiosk" names no key of this profile \
            (defined: issuingStation, endorsingStation, readingTerminal, pin). Define it or correct the name.
            """)
    }

    @Test func malformedJSONIsReportedWithTheFile() throws {
        let library = try ProfileLibrary(directory: Fixtures.directory)
        let error = try #require(throws: ProfileError.self) { try library.load("malformed") }
        guard case .malformedJSON(let file, _) = error else {
            Issue.record("expected malformedJSON, got \(error)")
            return
        }
        #expect(file.hasSuffix("Fixtures/malformed.json"))
    }

    @Test func theNationalSuiteIsAValidSetting() throws {
        let profile = try ProfileLibrary(directory: Fixtures.directory).load("national-suite")
        #expect(profile.suite == .national)
    }

    @Test func aProfileWithoutPINMustNotSetOne() throws {
        var value = try Fixtures.valid().setting("pin", to: nil)
        value = value.setting("files[3].access.append.operational", to: .string("issuingStation | endorsingStation"))
        let error = try #require(throws: ProfileError.self) { try Fixtures.parse(value) }
        #expect(error.path == "commands.setPin")
        value = value.setting("commands.setPin", to: .string("never"))
        for command in ["verifyPin", "changePin", "unblockPin"] {
            let refused = try #require(throws: ProfileError.self) { try Fixtures.parse(value) }
            #expect(refused.path == "commands.\(command)")
            value = value.setting("commands.\(command)", to: .string("never"))
        }
        let profile = try Fixtures.parse(value)
        #expect(profile.pin == nil)
    }

    @Test("a PIN without a PUK cannot be unblocked: unblockPin must be never; the PUK needs a reference of its own")
    func unblockNeedsAPUK() throws {
        var value = try Fixtures.valid().setting("pin.puk", to: nil)
        let error = try #require(throws: ProfileError.self) { try Fixtures.parse(value) }
        #expect(error.path == "commands.unblockPin")
        value = value.setting("commands.unblockPin", to: .string("never"))
        #expect(try Fixtures.parse(value).pin?.puk == nil)
        let clash = try Fixtures.valid().setting("pin.puk.reference", to: .number(1))
        let refused = try #require(throws: ProfileError.self) { try Fixtures.parse(clash) }
        #expect(refused.path == "pin.puk.reference")
        #expect(try Fixtures.parse(try Fixtures.valid()).pin?.puk == PUKPolicy(length: 8, retryLimit: 10, reference: 2))
    }
}
