import CardBudget
import CardEmulator
import CardProfiles
import PermitCard
import Testing

/// The APDU budget is what the operations send (counted in process). These tests hold it to the issue's
/// targets, to the figures of CARD-SPEC §11 and to the command order §10 lists, so an edit to an
/// operation, a builder or a profile that breaks the spec fails here.
@Suite("APDU budget (CARD-SPEC §10-§11)")
struct BudgetTests {
    static let authority = try! ScenarioAuthority.generate()
    static let zhejiang = try! Fixture.profile("zhejiang")
    static let innerMongolia = try! Fixture.profile("inner-mongolia")

    static func measure(_ scenario: CardScenario) async throws -> [APDUBudget.Step] {
        try await APDUBudget.measure(scenario, authority)
    }

    @Test("the shipped profiles meet the targets: issue ≤ 25, verify ≤ 8, endorse ≤ 6 APDUs", arguments: ["zhejiang", "inner-mongolia"])
    func targets(profile name: String) async throws {
        let profile = try Fixture.profile(name)
        for scenario in [CardScenario.issue(profile), .verify(profile), .endorse(profile)] {
            let target = try #require(APDUBudget.targets[scenario.operation])
            let count = try await Self.measure(scenario).count
            #expect(count <= target, "\(name) \(scenario.name): \(count) APDUs, target \(target)")
        }
    }

    /// The rows of CARD-SPEC §11 (zhejiang, extended length, a card with 2 endorsements).
    enum SpecRow: String, CaseIterable, Sendable {
        case issue, issueShort, verify, statusOnly, endorse, endorseWithPIN, changeAddress, suspend, restore, cancel, void, unblockPIN

        var scenario: CardScenario {
            let table = CardScenario.table(zhejiang: BudgetTests.zhejiang, innerMongolia: BudgetTests.innerMongolia)
            return table[Self.allCases.firstIndex(of: self)!]
        }

        /// APDUs, bytes sent and bytes received as CARD-SPEC §11 prints them.
        var figures: (apdus: Int, sent: Int, received: Int) {
            switch self {
            case .issue: (14, 2683, 446)
            case .issueShort: (21, 2809, 558)
            case .verify: (8, 273, 3031)
            case .statusOnly: (4, 181, 387)
            case .endorse: (5, 296, 500)
            case .endorseWithPIN: (6, 331, 516)
            case .changeAddress: (6, 448, 872)
            case .suspend, .restore, .cancel, .void: (5, 296, 403)
            case .unblockPIN: (4, 193, 207)
            }
        }
    }

    @Test("each operation sends the APDUs and bytes CARD-SPEC §11 prints", arguments: SpecRow.allCases)
    func specFigures(row: SpecRow) async throws {
        let totals = try await Self.measure(row.scenario).totals
        #expect(totals == row.figures, "\(row.scenario.name)")
    }

    @Test("each operation sends its commands in the order CARD-SPEC §10 lists them")
    func specOrder() async throws {
        // Every operation opens the same way: the chip proves itself, then the terminal and the card prove the role key.
        let open = ["SELECT", "GENERAL AUTHENTICATE", "EXTERNAL AUTHENTICATE"]
        let state = "GET DATA"
        let expected: [(CardScenario, [String])] = [
            (.issue(Self.zhejiang), open + [
                state, "PUT KEY endorsingStation", "PUT KEY readingTerminal", "CHANGE REFERENCE DATA", "CHANGE REFERENCE DATA",
                "UPDATE BINARY card", "UPDATE BINARY holder", "UPDATE RECORD residence", "APPEND RECORD status",
                "UPDATE BINARY securityObject", "ACTIVATE FILE",
            ]),
            (.verify(Self.zhejiang), open + [
                state, "READ BINARY holder", "READ RECORD residence", "READ RECORD endorsements", "READ BINARY securityObject",
            ]),
            (.statusCheck(Self.zhejiang), open + [state]),
            (.endorse(Self.zhejiang), open + [state, "APPEND RECORD endorsements"]),
            (.endorse(Self.innerMongolia), open + [state, "VERIFY", "APPEND RECORD endorsements"]),
            (.changeAddress(Self.zhejiang), open + [state, "READ RECORD residence", "UPDATE RECORD residence"]),
            (.statusChange(.suspendedByOfficer, Self.zhejiang), open + [state, "APPEND RECORD status"]),
            (.unblockPIN(Self.zhejiang), open + ["RESET RETRY COUNTER"]),
        ]
        for (scenario, commands) in expected {
            #expect(try await Self.measure(scenario).map(\.command) == commands, "\(scenario.profile.name) \(scenario.name)")
        }
    }

    @Test("with short APDUs only, files travel in chunks (and GET RESPONSE): 21 APDUs to issue, and verification misses its target")
    func shortAPDUs() async throws {
        var short = Self.zhejiang
        short.apdu = APDULimits(extendedLength: false, maxCommandData: 255, maxResponseData: 256)
        let issue = try await Self.measure(.issue(short))
        #expect(issue.count == 21)
        #expect(issue.filter { $0.command == "UPDATE BINARY holder" }.count == 3)
        #expect(issue.filter { $0.command == "UPDATE BINARY securityObject" }.count == 6)
        #expect(issue.allSatisfy { $0.commandBytes <= 5 + 255 + 1 })
        let verify = try await Self.measure(.verify(short))
        #expect(verify.contains { $0.command == "GET RESPONSE" }, "both residence slots (442 bytes) do not fit one short answer")
        #expect(verify.count > APDUBudget.targets[.verify]!)
    }

    @Test("an endorsement needs no read of the endorsement file: the permit state carries the newest record and the count")
    func endorsementFromTheState() async throws {
        for endorsements in [0, 2] {
            let steps = try await Self.measure(.endorse(Self.zhejiang, endorsements: endorsements))
            #expect(steps.map(\.command) == ["SELECT", "GENERAL AUTHENTICATE", "EXTERNAL AUTHENTICATE", "GET DATA", "APPEND RECORD endorsements"])
        }
    }

    @Test("a scenario whose operation does not give the expected result throws instead of being counted")
    func wrongResultThrows() async throws {
        let scenario = CardScenario.verify(Self.zhejiang)
        let start = try await scenario.startState(Self.authority)
        let altered = try start.editing(file: 2, aid: Self.zhejiang.card.aid) { content in
            guard case .transparent(var data) = content else { return }
            data[5] ^= 0x01
            content = .transparent(data: data)
        }
        try await withPermitCard(state: altered) { bench in
            await #expect(throws: ScenarioFailure.self) {
                try await scenario.act(on: try bench.reader.connect(options: scenario.channelOptions), Self.authority)
            }
        }
    }
}
