import CardSecurity
import Foundation
import InProcessCard
import Lifecycle
import PermitApplet
import PermitCard
import Testing

/// Issue 18 item 5: signatures are checked against the signer's certificate at the day the record says it
/// was signed, plus the revocations the authority distributes with the status list; a status list needs the
/// authority's own signer.
@Suite("Signers: revocation, validity at the signing day")
struct SignerSeparationTests {
    static let day = OperationTests.day

    static func revoking(_ signer: SigningCredential, from day: CalendarDate, listedOn: CalendarDate) throws -> PermitTerminal {
        let list = try SignedStatusList.sign(
            StatusList(suite: .international, issuedOn: listedOn, sequence: 7, entries: [], revoked: [
                StatusList.Revocation(keyIdentifier: signer.publicKey.keyIdentifier, revokedFrom: day),
            ]), signer: Fixture.authority.statusListSigner)
        return Fixture.verifier(statusList: list)
    }

    @Test("through pcscd: a revoked kiosk's endorsement dated on or after the revocation is refused, one dated before stays good; a revoked issuing station's records are refused")
    func revokedStation() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            _ = try await bench.permitCard(Fixture.kiosk).with(clock: .test(day: Self.day(2027, 2, 10))).endorse()
            let on = Self.day(2027, 2, 11)
            let kioskKey = Fixture.authority.kiosk.publicKey.keyIdentifier.hexString

            let stolen = try Self.revoking(Fixture.authority.kiosk, from: Self.day(2027, 2, 1), listedOn: on)
            let (_, refused) = try await bench.permitCard(stolen).with(clock: .test(day: on)).verify()
            #expect(refused.failures.map(\.check) == [.endorsements], "\(refused.failures)")
            #expect(refused[.endorsements]?.description.contains("endorsement 1 is dated 2027-02-10, and its signer") == true, "\(refused.failures)")
            #expect(refused[.endorsements]?.description.contains("is revoked from 2027-02-01 (status list 7)") == true)

            let retired = try Self.revoking(Fixture.authority.kiosk, from: Self.day(2027, 2, 11), listedOn: on)
            let (_, kept) = try await bench.permitCard(retired).with(clock: .test(day: on)).verify()
            #expect(kept.passed, "records signed before the revocation day stay good (\(kioskKey)): \(kept.failures)")

            let desk = try Self.revoking(Fixture.authority.issuingStation, from: Fixture.issueDay, listedOn: on)
            let (_, forged) = try await bench.permitCard(desk).with(clock: .test(day: on)).verify()
            #expect(forged.failures.map(\.check) == [.residence, .status], "\(forged.failures)")
        }
    }

    @Test("a short-lived station certificate's records stay good after it expired: the chain is checked at the record's day; a record dated after the expiry fails")
    func expiredSignerStillVouchesForItsPast() async throws {
        let authority = Fixture.authority
        let from = Fixture.calendar.start(of: Self.day(2026, 1, 1))
        let until = Fixture.calendar.start(of: Self.day(2026, 6, 1))
        let key = try SigningKey.random()
        let shortLived = SigningCredential(
            certificate: try TestAuthority.certify(.issuingStation, key: key.publicKey, authority: "PermitStation Test Authority", root: authority.root, notBefore: from, notAfter: until),
            key: key)
        let trust = TrustStore(root: authority.root.certificate, certificates: authority.trustStore.certificates + [shortLived.certificate])
        let desk = PermitTerminal.issuingStation(
            station: Fixture.station, masterKeys: authority.masterKeys, stationCredential: shortLived, documentSigner: authority.documentSigner, trust: trust)
        let verifier = PermitTerminal.verifier(
            masterKeys: authority.masterKeys, trust: trust, statusList: Fixture.statusList(issuedOn: Self.day(2026, 7, 1)), station: Fixture.station)
        try await withPermitCard { bench in
            _ = try await bench.permitCard(desk).with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            let (_, report) = try await bench.permitCard(verifier).with(clock: .test(day: Self.day(2026, 7, 1))).verify()
            #expect(report.passed, "signed on 2026-03-01 while valid, verified on 2026-07-01 after it expired: \(report.failures)")

            _ = try await bench.permitCard(desk).with(clock: .test(day: Self.day(2026, 6, 15))).suspend()
            let (_, late) = try await bench.permitCard(verifier).with(clock: .test(day: Self.day(2026, 7, 1))).verify()
            #expect(late[.status]?.description.contains("is dated 2026-06-15, after its signer") == true, "\(late.failures)")
        }
    }
}
