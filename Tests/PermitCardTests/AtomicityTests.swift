import CardEmulator
import CardSecurity
import Lifecycle
@testable import PermitCard
import Testing

/// Issue #3 item 5: the card is pulled before and after every APDU of every operation; read again,
/// it is in the old or the new state, its checks passing or failing as that state's do, never a
/// mixture. An interrupted issuance is incomplete (never valid) and resumes to a valid card.
/// In process (the fault plan applied by `InProcessReader`); a pull through vpcd and pcscd is in
/// `EndToEndTests`.
@Suite("Atomicity: a card pulled at every APDU")
struct AtomicityTests {
    enum Operation: String, CaseIterable, Sendable {
        case issue, endorse, endorseWithPIN, changeAddress, suspend, restore, cancel, void, unblockPIN

        var profile: String { self == .endorseWithPIN ? "inner-mongolia" : "zhejiang" }
        var pin: String { self == .endorseWithPIN ? "2468" : "123456" }

        /// The act, on a card that is in `start`'s state.
        func run(on card: PermitCard) async throws {
            switch self {
            case .issue: _ = try await card.with(clock: .test(day: Self.day)).issue(Fixture.request())
            case .endorse: _ = try await card.with(clock: .test(day: Self.day)).endorse()
            case .endorseWithPIN: _ = try await card.with(clock: .test(day: Self.day)).endorse(pin: pin)
            case .changeAddress:
                var moved = Fixture.address
                moved.text = "浙江省杭州市西湖区文三路1号"
                _ = try await card.with(clock: .test(day: Self.day)).changeAddress(to: moved)
            case .suspend: _ = try await card.with(clock: .test(day: Self.day)).suspend()
            case .restore: _ = try await card.with(clock: .test(day: Self.day)).restore()
            case .cancel: _ = try await card.with(clock: .test(day: Self.day)).cancel(reason: .lossOfEligibility)
            case .void: _ = try await card.with(clock: .test(day: Self.day)).void(reason: .lost)
            case .unblockPIN:
                // The holder's PUK of the issued card the act starts from.
                guard let puk = try await IssuedCards.shared.card(profile: profile, pin: pin).puk else { throw BenchFailure("no PUK") }
                try await card.unblockPIN(puk: puk)
            }
        }

        /// Inside the endorsement window of the fixture's permit (expiry 2027-03-01).
        static let day = CalendarDate(year: 2027, month: 2, day: 10)!
    }

    /// What a verifier sees: the verdict pattern and the permit's state, as one comparable value.
    struct View: Equatable, CustomStringConvertible {
        var complete: Bool
        var verdicts: [String]
        var status: String
        var endorsements: Int
        var residenceSequence: Int
        var pinTries: Int?

        var description: String {
            "complete \(complete), \(status), \(endorsements) endorsements, residence \(residenceSequence), PIN tries \(pinTries.map(String.init) ?? "-"), \(verdicts)"
        }
    }

    static func view(_ bench: some CardBench) async throws -> View {
        let verifier = try await bench.permitCard(Fixture.verifier(on: Operation.day))
        let (reading, report) = try await verifier.with(clock: .test(day: Operation.day)).verify()
        let verdicts = report.verdicts.map { "\($0.check.rawValue):\($0.verdict.isPassed)" }
        guard reading.isComplete else { return View(complete: false, verdicts: verdicts, status: "-", endorsements: 0, residenceSequence: 0, pinTries: nil) }
        // The checks that prove authenticity hold in every state a finished write leaves.
        for check in [VerificationReport.Check.authoritySignature, .dataIntegrity, .chipAuthentication, .residence, .endorsements] {
            #expect(report[check] == .passed, "\(check): \(report[check].map(String.init(describing:)) ?? "-")")
        }
        return View(
            complete: true, verdicts: verdicts, status: try reading.status().summary, endorsements: try reading.endorsements().count,
            residenceSequence: try reading.currentResidence()?.record.sequence ?? 0, pinTries: reading.state?.pinTriesLeft)
    }

    static func startState(_ operation: Operation) async throws -> CardState? {
        switch operation {
        case .issue: return nil
        case .restore:
            let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
            return try await withPermitCard(state: issued) { bench in
                let card = try await bench.permitCard(Fixture.issuingStation())
                _ = try await card.with(clock: .test(day: Fixture.issueDay)).suspend()
                return bench.card.state
            }
        case .unblockPIN:
            let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
            return try await withPermitCard(state: issued) { bench in
                let card = try await bench.permitCard(Fixture.kiosk)
                await #expect(throws: PermitCardError.wrongPIN(triesLeft: 2)) { try await card.verifyPIN("000000") }
                return bench.card.state
            }
        default: return try await IssuedCards.shared.state(profile: operation.profile, pin: operation.pin)
        }
    }

    @Test("old or new state after a pull before or after each APDU", arguments: Operation.allCases)
    func pulledAtEveryAPDU(operation: Operation) async throws {
        let start = try await Self.startState(operation)
        try await withPermitCard(profile: operation.profile, state: start) { bench in
            let initial = bench.card.state
            let old = try await Self.view(bench)
            bench.setFaultPlan(.none)
            try await operation.run(on: try await bench.permitCard(Fixture.issuingStation()))
            let apdus = bench.apduCount
            let new = try await Self.view(bench)
            #expect(old != new)
            #expect(apdus >= 4)

            var seen: [String] = []
            for n in 1...apdus {
                for removal in [FaultPlan.Removal.beforeAPDU(n), .afterAPDU(n)] {
                    try bench.card.replaceState(initial)
                    bench.setFaultPlan(FaultPlan(removal: removal))
                    let station = try await bench.permitCard(Fixture.issuingStation())
                    try await Self.expectCommunicationFailure("\(operation) pulled \(removal)") { try await operation.run(on: station) }
                    try await bench.reinsert()
                    let after = try await Self.view(bench)
                    #expect(after == old || after == new, "\(operation) pulled \(removal): \(after)")
                    seen.append(after == new ? "new" : "old")
                    if operation == .issue, after != new {
                        // Incomplete, so resumable: the same call completes it.
                        try await operation.run(on: try await bench.permitCard(Fixture.issuingStation()))
                        #expect(try await Self.view(bench) == new, "issuance resumed after \(removal)")
                    }
                }
            }
            // Pulled before the first APDU nothing happened; pulled after the last, everything did.
            #expect(seen.first == "old")
            #expect(seen.last == "new")
        }
    }

    /// `body` fails because the card went away mid-operation, not for any other reason.
    static func expectCommunicationFailure(_ what: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
            Issue.record("\(what): the operation finished")
        } catch PermitCardError.communication(let why) {
            #expect(why.contains("removed"), "\(what): \(why)")
        }
    }
}
