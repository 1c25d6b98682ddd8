import CardEmulator
import CardProfiles
import CardSecurity
import Lifecycle
@testable import PermitCard
import SmartCard
import Testing

/// Issue, read and verify against the reference card in process (through pcscd: `EndToEndTests`).
@Suite("Issue, read and verify")
struct IssueReadVerifyTests {
    @Test("a blank card is issued and then passes every check of §10.2", arguments: ["zhejiang", "inner-mongolia"])
    func issueAndVerify(profile: String) async throws {
        try await withPermitCard(profile: profile) { bench in
            let station = try await bench.permitCard(Fixture.issuingStation())
            #expect(try await station.inspect().phase == .blank)
            let pin = profile == "zhejiang" ? "123456" : "2468"
            let issued = try await station.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request(pin: pin))
            #expect(issued.serial == Fixture.serial(1))
            #expect(!issued.resumed)
            #expect(try await station.inspect().phase == .issued)

            let verifier = try await bench.permitCard(Fixture.verifier(on: CalendarDate(year: 2026, month: 6, day: 1)!))
            let (reading, report) = try await verifier.with(clock: .test(day: CalendarDate(year: 2026, month: 6, day: 1)!)).verify()
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.verdicts.map(\.check) == VerificationReport.Check.allCases)
            try report.requireValid()
            #expect(try reading.holder() == Fixture.holder)
            let residence = try #require(try reading.currentResidence())
            #expect(residence.record.address == Fixture.address.text)
            #expect(residence.record.sequence == 1)
            // The card reads as exactly the rules' state of a permit issued that day.
            let state = try reading.permitState(policy: bench.profile.policy)
            #expect(state == PermitState(issued: Fixture.issueDay))
            #expect(state.expiry(bench.profile.policy) == CalendarDate(year: 2027, month: 3, day: 1)!)
            #expect(try reading.status().recorded == .inForce)
            #expect(reading.state?.pinTriesLeft == bench.profile.pin?.retryLimit)
        }
    }

    @Test("issuance and verification send the APDUs CARD-SPEC §10 lists")
    func apduCounts() async throws {
        try await withPermitCard { bench in
            let trace = APDUTrace()
            let station = try await bench.permitCard(Fixture.issuingStation(), trace: trace)
            _ = try await station.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            #expect(trace.totals.apdus == 14)
            // Keys, PIN, PUK and the authentication cryptogram never reach the trace, not even encrypted.
            let commands = trace.lines.filter { $0.hasPrefix("A>>") }
            let secrets = commands.filter { $0.contains(" 8CD8") || $0.contains(" 0C240181") || $0.contains(" 0C240182") || $0.contains(" 0C820101") }
            #expect(secrets.count == 5)
            #expect(secrets.allSatisfy { $0.contains("****") })
            let verifyTrace = APDUTrace()
            let verifier = try await bench.permitCard(Fixture.verifier(on: Fixture.issueDay), trace: verifyTrace)
            _ = try await verifier.with(clock: .test(day: Fixture.issueDay)).verify()
            #expect(verifyTrace.totals.apdus == 8)
            #expect(!verifyTrace.text.contains(Fixture.request().pin!.utf8.map { String(format: "%02X", $0) }.joined()))
        }
    }

    @Test("with short APDUs only, files travel in chunks: 21 APDUs to issue (CARD-SPEC §10.1), and everything verifies")
    func shortAPDUs() async throws {
        var profile = try Fixture.profile("zhejiang")
        profile.apdu = APDULimits(extendedLength: false, maxCommandData: 255, maxResponseData: 256)
        try await withPermitCard(profile: profile) { bench in
            let trace = APDUTrace()
            let station = try await bench.permitCard(Fixture.issuingStation(), trace: trace)
            _ = try await station.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            #expect(trace.totals.apdus == 21)
            #expect(!trace.lines.contains { $0.hasPrefix("A>>") && $0.contains("(4+") && Int($0.split(separator: "+")[1].prefix(4))! > 261 })
            let verifier = try await bench.permitCard(Fixture.verifier(on: Fixture.issueDay))
            let (reading, report) = try await verifier.with(clock: .test(day: Fixture.issueDay)).verify()
            #expect(report.passed, "\(report.failures)")
            #expect(try reading.holder() == Fixture.holder)
        }
    }

    @Test("an issuance journalled for one card refuses to continue on another")
    func wrongCardForResume() async throws {
        try await withPermitCard { bench in
            let station = try await bench.permitCard(Fixture.issuingStation())
            var request = Fixture.request()
            request.cardSerial = Fixture.serial(7)
            let before = bench.card.state
            await #expect(throws: PermitCardError.wrongCard(expected: Fixture.serial(7), found: Fixture.serial(1))) {
                try await station.with(clock: .test(day: Fixture.issueDay)).issue(request)
            }
            #expect(bench.card.state == before)
        }
    }
}
