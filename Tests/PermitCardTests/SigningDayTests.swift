import CardSecurity
import Foundation
import InProcessCard
import PermitApplet
import PermitCard
import Testing

/// Issue 15 finding 1: a station could sign records with any date. A good signature does not show that,
/// so the verifier checks each signed day against its signer's certificate and today (docs/CLOCK.md).
@Suite("Signing days: nothing dated in the future or outside its signer's certificate verifies")
struct SigningDayTests {
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    @Test("an endorsement dated after the day of verification fails the endorsements check, with the dates")
    func futureDatedEndorsement() async throws {
        try await withPermitCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            _ = try await desk.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            _ = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()

            let verifier = try await bench.permitCard(Fixture.verifier(on: Self.day(2026, 6, 1)))
            let (_, before) = try await verifier.with(clock: .test(day: Self.day(2026, 6, 1))).verify()
            #expect(before.failures.map(\.check) == [.endorsements])
            #expect(before[.endorsements] == .failed(reason: "endorsement 1 is dated 2027-02-10, after today (2026-06-01): its signer's clock was wrong or the date was forged"))
            let later = try await bench.permitCard(Fixture.verifier(on: Self.day(2027, 2, 10)))
            let (_, after) = try await later.with(clock: .test(day: Self.day(2027, 2, 10))).verify()
            #expect(after.passed, "\(after.failures)")
        }
    }

    @Test("records dated before their signers' certificates were valid (set back) fail, each in its own check")
    func backdatedRecords() async throws {
        let profile = try Fixture.profile("zhejiang")
        let validFrom = Self.day(2026, 6, 1)
        let late = try TestAuthority.generate(
            notBefore: Fixture.calendar.start(of: validFrom), notAfter: Fixture.calendar.start(of: Self.day(2035, 1, 1)))
        let list = try SignedStatusList.sign(
            StatusList(suite: .international, issuedOn: Self.day(2026, 6, 28), sequence: 1, entries: []), signer: late.statusListSigner)
        let desk = PermitTerminal.issuingStation(
            station: Fixture.station, masterKeys: late.masterKeys, stationCredential: late.issuingStation,
            documentSigner: late.documentSigner, trust: late.trustStore, statusList: list)
        let verifier = PermitTerminal.verifier(masterKeys: late.masterKeys, trust: late.trustStore, statusList: list, station: Fixture.station)
        let card = try PermitApplet.freshCard(profile: profile, serial: Fixture.serial(1), masterKeys: late.masterKeys)
        let bench = InProcessBench(profile: profile, reader: InProcessReader(card: card))

        // The station's clock says 2026-03-01, three months before its certificates begin.
        _ = try await bench.permitCard(desk).with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
        let (_, report) = try await bench.permitCard(verifier).with(clock: .test(day: Self.day(2026, 7, 1))).verify()
        #expect(report.failures.map(\.check) == [.authoritySignature, .residence, .status])
        #expect(report[.residence] == .failed(reason: "the residence record (slot 1) is dated 2026-03-01, before its signer \(late.issuingStation.certificate) was valid (from 2026-06-01): the date was set back"))
        #expect(report[.authoritySignature] == .failed(reason: "the security object is dated 2026-03-01, before its signer \(late.documentSigner.certificate) was valid (from 2026-06-01): the date was set back"))
    }
}
