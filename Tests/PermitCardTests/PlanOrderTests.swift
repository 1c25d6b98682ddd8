import CardProfiles
import Lifecycle
@testable import PermitCard
import SmartCard
import Testing

/// CARD-SPEC §10 lists each operation's APDUs in order and `APDUBudget` models them; both must
/// match what `PermitCard` sends. A count alone hides a swapped pair (§10.4 once read before it
/// authenticated, while the card needs the key to read), so the commands are compared in order.
@Suite("The spec's command order is the one sent")
struct PlanOrderTests {
    /// The budget's model of each operation of the atomicity tests.
    static func budgetOperation(_ operation: AtomicityTests.Operation) -> APDUBudget.Operation {
        switch operation {
        case .issue: .issue
        case .endorse, .endorseWithPIN: .endorse
        case .changeAddress: .changeAddress
        case .suspend, .restore, .cancel, .void: .statusChange
        case .unblockPIN: .unblockPIN
        }
    }

    /// The instruction byte of each command the plan names (its leading words).
    static let instructions: [(name: String, ins: UInt8)] = [
        ("SELECT", 0xA4), ("READ BINARY", 0xB0), ("READ RECORD", 0xB2), ("GET CHALLENGE", 0x84),
        ("EXTERNAL AUTHENTICATE", 0x82), ("INTERNAL AUTHENTICATE", 0x88), ("VERIFY", 0x20),
        ("GENERATE ASYMMETRIC KEY PAIR", 0x47), ("PUT KEY", 0xD8), ("CHANGE REFERENCE DATA", 0x24),
        ("RESET RETRY COUNTER", 0x2C), ("ACTIVATE FILE", 0x44), ("UPDATE BINARY", 0xD6),
        ("UPDATE RECORD", 0xDC), ("APPEND RECORD", 0xE2),
    ]

    static func instruction(of step: APDUBudget.Step) -> UInt8? {
        instructions.first { step.command.hasPrefix($0.name) }?.ins
    }

    /// The INS byte of each command in an `A>>` trace line (`A>> T=1 (4+NNNN) CLAINSP1P2 ...`).
    static func sentInstructions(_ trace: APDUTrace) -> [UInt8] {
        trace.lines.filter { $0.hasPrefix("A>>") }.compactMap { line in
            line.split(separator: " ").dropFirst(3).first.flatMap { header in UInt8(header.dropFirst(2).prefix(2), radix: 16) }
        }
    }

    @Test("each operation sends its plan's commands in the plan's order", arguments: AtomicityTests.Operation.allCases)
    func order(operation: AtomicityTests.Operation) async throws {
        let start = try await AtomicityTests.startState(operation)
        try await withPermitCard(profile: operation.profile, state: start) { bench in
            let trace = APDUTrace()
            let card = try await bench.permitCard(Fixture.issuingStation(), trace: trace)
            try await operation.run(on: card)
            // The fixture's cards hold no endorsement before the act.
            let plan = APDUBudget.plan(Self.budgetOperation(operation), profile: bench.profile, endorsements: 0)
            let planned = plan.map { Self.instruction(of: $0) }
            #expect(!planned.contains(nil), "a plan step with no known instruction: \(plan.map(\.command))")
            #expect(Self.sentInstructions(trace) == planned.compactMap { $0 }, "\(plan.map(\.command))")
        }
    }

    @Test("a field officer's verification sends the verify plan's commands in order")
    func verifyOrder() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPermitCard(state: issued) { bench in
            let trace = APDUTrace()
            let verifier = try await bench.permitCard(Fixture.verifier(), trace: trace)
            _ = try await verifier.verify(at: Fixture.moment(Fixture.issueDay))
            let plan = APDUBudget.plan(.verify, profile: bench.profile, endorsements: 0)
            #expect(Self.sentInstructions(trace) == plan.compactMap { Self.instruction(of: $0) }, "\(plan.map(\.command))")
            #expect(plan.count == Self.sentInstructions(trace).count)
        }
    }
}
