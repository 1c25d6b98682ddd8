import CardSecurity
import Crypto
import Foundation
import InProcessCard
import PermitCard
import Registry
@testable import Station
import Testing

/// Each act of the station once, in process against the reference card and a real registry file: what the
/// card holds afterwards, what the registry records, and that the intent journal settled each write.
@Suite("Station acts")
struct ActsTests {
    @Test("accept with a photo, issue for the application id: the card carries the registry's holder and the photo's digest")
    func acceptAndIssue() async throws {
        let station = try Station()
        let form = Station.form()
        let application = try await station.acts().accept(form, agent: Station.officer)
        let kept = try #require(try station.registry.cardData(application: application.id!))
        #expect(kept.photo == Station.photo)
        #expect([UInt8](kept.photoSha256) == Array(SHA256.hash(data: Station.photo)))

        let reader = try station.blankCard(1)
        let outcome = try await station.acts().issue(application: application.id!, on: try station.card(in: reader), pin: nil, agent: Station.officer)
        #expect(outcome.act == "issue")
        #expect(outcome.serial == Station.serial(1).description)

        let reading = try await station.reading(of: reader)
        #expect(reading.isComplete)
        let holder = try reading.holder()
        #expect(holder.name == "张伟")
        #expect(holder.citizenID.text == "110105199005171233")
        #expect(holder.photoDigest == Array(SHA256.hash(data: Station.photo)))
        #expect(holder.issuingAuthority == Station.authorityName)
        let permit = try #require(try station.registry.lookup(serial: Station.serial(1).description))
        #expect(permit.permit.id == outcome.permit)
        #expect(permit.permit.issuedOn == station.day)
        #expect(try station.journal()[.applied] == 1)
        #expect(try station.journal()[.pending] == 0)
        // Verified offline: every check but the status list (the station carries none) passes.
        #expect(outcome.presentation.report.failures.map(\.check) == [.statusList])
    }

    @Test("a bad photo, a citizen ID with a wrong check digit, a registration day in the future: refused, nothing recorded")
    func badApplications() async throws {
        let station = try Station()
        var form = Station.form()
        form.photo = Data("GIF89a".utf8)
        await #expect(throws: StationActError.self) { try await station.acts().accept(form, agent: Station.officer) }
        form = Station.form(citizenID: "110105199005171234")
        await #expect(throws: StationActError.self) { try await station.acts().accept(form, agent: Station.officer) }
        form = Station.form()
        form.address.since = Station.day(2026, 3, 2)
        let error = await #expect(throws: StationActError.self) { try await station.acts().accept(form, agent: Station.officer) }
        #expect(error?.kind == .unprocessable)
        #expect(error?.description.contains("address.since") == true)
        #expect(try station.registry.permits(idNumber: "110105199005171233").isEmpty)
        #expect(try station.registry.application(id: 1) == nil)
    }

    @Test("endorse in the window: one record on the card, one in the registry, the intent applied")
    func endorse() async throws {
        var station = try Station()
        let reader = try station.blankCard(2)
        let permit = try await station.issued(in: reader)
        station.day = Station.day(2027, 2, 10)
        let outcome = try await station.acts().endorse(try station.card(in: reader), pin: nil, agent: Station.officer)
        #expect(outcome.permit == permit)
        #expect(try await station.reading(of: reader).endorsements().count == 1)
        let details = try station.registry.details(permit: permit)
        #expect(details.endorsements.map(\.endorsedOn) == [Station.day(2027, 2, 10)])
        #expect(details.permit.expiryOn == Station.day(2028, 3, 1))
        #expect(try station.journal()[.applied] == 2)

        // Before the window: refused by the rules before anything is opened or written.
        station.day = Station.day(2027, 2, 20)
        let again = await #expect(throws: StationActError.self) {
            try await station.acts().endorse(try station.card(in: reader), pin: nil, agent: Station.officer)
        }
        #expect(again?.kind == .unprocessable)
        #expect(try await station.reading(of: reader).endorsements().count == 1)
        #expect(try station.registry.details(permit: permit).endorsements.count == 1)
        #expect(try station.journal()[.pending] == 0)
    }

    @Test("change the address: the card's current residence record and the registry's address both move")
    func changeAddress() async throws {
        var station = try Station()
        let reader = try station.blankCard(3)
        let permit = try await station.issued(in: reader)
        station.day = Station.day(2026, 6, 5)
        let moved = ResidenceAddress(district: .district("330106")!, text: "浙江省杭州市西湖区文三路1号", since: Station.day(2026, 6, 1))
        _ = try await station.acts().changeAddress(try station.card(in: reader), to: moved, agent: Station.officer)
        let current = try #require(try await station.reading(of: reader).currentResidence())
        #expect(current.record.address == moved.text)
        let details = try station.registry.details(permit: permit)
        #expect(details.permit.address == moved.text)
        #expect(details.addressChanges.last?.late == false)
        #expect(try station.registry.currentDistrict(permit: permit) == "330106")
    }

    @Test("cancel for being overdue only once the permit is due for cancellation, recorded with who decided")
    func cancelOverdue() async throws {
        var station = try Station()
        let reader = try station.blankCard(4)
        let permit = try await station.issued(in: reader)
        // Expired 2027-03-01, not endorsed: suspended; due for cancellation after 60 days overdue.
        station.day = Station.day(2027, 4, 1)
        let early = await #expect(throws: StationActError.self) {
            try await station.acts().cancel(try station.card(in: reader), reason: .overdue, decidedBy: "Officer Li", agent: Station.officer)
        }
        #expect(early?.kind == .unprocessable)
        #expect(try await station.reading(of: reader).status().recorded == .inForce)
        #expect(try station.registry.details(permit: permit).cancellation == nil)

        station.day = Station.day(2027, 5, 10)
        _ = try station.registry.sweep(through: station.day)
        #expect(try station.registry.permit(id: permit)?.status == .cancellationDue)
        _ = try await station.acts().cancel(try station.card(in: reader), reason: .overdue, decidedBy: "Officer Li", note: "not seen since March",
                                            agent: Station.officer)
        #expect(try await station.reading(of: reader).newestStatus()?.change == .cancelled(.overdue))
        let details = try station.registry.details(permit: permit)
        #expect(details.permit.status == .cancelled)
        #expect(details.cancellation?.decidedBy == "Officer Li")
        #expect(details.cancellation?.actor == "officer 1")
    }

    @Test("suspend writes the registry's suspension; restore is refused while the registry holds it suspended")
    func suspendAndRestore() async throws {
        var station = try Station()
        let reader = try station.blankCard(5)
        let permit = try await station.issued(in: reader)
        let inForce = await #expect(throws: StationActError.self) {
            try await station.acts().suspend(try station.card(in: reader), agent: Station.officer)
        }
        #expect(inForce?.kind == .unprocessable)
        station.day = Station.day(2027, 3, 10)
        _ = try station.registry.sweep(through: station.day)
        _ = try await station.acts().suspend(try station.card(in: reader), agent: Station.officer)
        #expect(try await station.reading(of: reader).newestStatus()?.change == .suspendedOverdue)
        await #expect(throws: StationActError.self) { try await station.acts().restore(try station.card(in: reader), agent: Station.officer) }
        // A late endorsement lifts it, on the card by its record alone and in the registry by its rules.
        _ = try await station.acts().endorse(try station.card(in: reader), pin: nil, agent: Station.officer)
        #expect(try await station.reading(of: reader).status().recorded == .inForce)
        #expect(try station.registry.permit(id: permit)?.status.isInForce == true)
    }

    @Test("replace a lost card: the blank card becomes the permit's card, the old one is void in the registry and, when presented, on the card")
    func replaceLost() async throws {
        var station = try Station()
        let old = try station.blankCard(6)
        let permit = try await station.issued(in: old)
        station.day = Station.day(2026, 8, 1)
        let new = try station.blankCard(7)
        let outcome = try await station.acts().replace(permit: permit, on: try station.card(in: new), old: nil, cause: .lost, pin: nil, agent: Station.officer)
        #expect(outcome.serial == Station.serial(7).description)
        let replacement = try await station.reading(of: new)
        #expect(try replacement.cardInfo().personalisation?.replaces == Station.serial(6))
        #expect(try replacement.holder().name == "张伟")
        #expect(try station.registry.lookup(serial: Station.serial(7).description)?.permit.id == permit)
        #expect(try station.registry.lookup(serial: Station.serial(6).description)?.isCurrentCard == false)
        // The old card turns up: presenting it writes the replacement on it.
        let found = await station.acts().reconcile(try station.card(in: old))
        #expect(found.findings.map(\.kind) == ["written"], "\(found.findings)")
        #expect(try await station.reading(of: old).newestStatus()?.change == .replaced(.lost))
    }

    @Test("verify writes nothing and reports what the registry holds for the card")
    func verify() async throws {
        let station = try Station()
        let reader = try station.blankCard(8)
        let permit = try await station.issued(in: reader)
        let before = try station.registry.auditHead().entries
        let presented = try await station.acts().verify(try station.card(in: reader))
        #expect(presented.registered?.permit.id == permit)
        #expect(presented.chipProved)
        #expect(presented.holderDisagreement == nil)
        #expect(try station.registry.auditHead().entries == before)
    }
}
