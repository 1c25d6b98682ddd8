import CardSecurity
import Foundation
import InProcessCard
import PermitCard
import Registry
@testable import Station
import Testing

/// Reconciliation of a presented card (issue 10 item 3): what the registry holds and the card lacks is written
/// to it; what another station wrote on the card is recorded with that station's code; an unknown card is
/// verified offline and reported; holder data that disagree are an alert and nothing is written.
@Suite("Reconciliation on presentation")
struct ReconcileTests {
    @Test("a card in step with the registry: one inStep finding, nothing written")
    func inStep() async throws {
        let station = try Station()
        let reader = try station.blankCard(20)
        try await station.issued(in: reader)
        let before = try await station.reading(of: reader)
        let result = await station.acts().reconcile(try station.card(in: reader))
        #expect(result.findings.map(\.kind) == ["inStep"])
        let after = try await station.reading(of: reader)
        #expect(CardSnapshot(after).shows(CardSnapshot(before)))
    }

    @Test("the sweep's suspension reaches the card when it is presented")
    func suspensionWritten() async throws {
        var station = try Station()
        let reader = try station.blankCard(21)
        let permit = try await station.issued(in: reader)
        station.day = Station.day(2027, 3, 5)
        let run = try station.registry.sweep(through: station.day)
        #expect(run.suspensions == 1)
        let result = await station.acts().reconcile(try station.card(in: reader))
        #expect(result.findings.map(\.kind) == ["written"], "\(result.findings)")
        #expect(try await station.reading(of: reader).newestStatus()?.change == .suspendedOverdue)
        #expect(try station.registry.permit(id: permit)?.status == .suspended)
        // Presented again: in step.
        #expect(await station.acts().reconcile(try station.card(in: reader)).findings.map(\.kind) == ["inStep"])
    }

    @Test("an endorsement another station wrote is recorded with that station's code")
    func otherStationsEndorsement() async throws {
        var station = try Station()
        let reader = try station.blankCard(22)
        let permit = try await station.issued(in: reader)
        station.day = Station.day(2027, 2, 12)
        _ = try await station.card(in: reader, terminal: Station.otherKiosk).endorse(pin: nil)
        let result = await station.acts().reconcile(try station.card(in: reader))
        #expect(result.findings.map(\.kind) == ["recorded"], "\(result.findings)")
        let endorsements = try station.registry.details(permit: permit).endorsements
        #expect(endorsements.map(\.endorsedOn) == [Station.day(2027, 2, 12)])
        #expect(endorsements.first?.station == Station.otherStation.digits)
        #expect(await station.acts().reconcile(try station.card(in: reader)).findings.map(\.kind) == ["inStep"])
    }

    @Test("a card the registry does not know is verified offline and reported; nothing is recorded")
    func unknownCard() async throws {
        let station = try Station()
        let elsewhere = try Station()
        let reader = try station.blankCard(23)
        try await elsewhere.issued(in: reader)
        let result = await station.acts().reconcile(try station.card(in: reader))
        #expect(result.findings.map(\.kind) == ["unknownCard"])
        #expect(result.findings.first?.sentence.contains("verified offline") == true)
        #expect(try station.registry.lookup(serial: Station.serial(23).description) == nil)
    }

    @Test("holder data that disagree with the registry: an alert, and nothing is written to the card or the registry")
    func holderDisagrees() async throws {
        var station = try Station()
        let reader = try station.blankCard(24)
        let permit = try await station.issued(in: reader)
        // The same serial issued elsewhere to another holder, then presented here: the registry's holder differs.
        let other = try Station()
        let impostor = try other.blankCard(24)
        try await other.issued(in: impostor, citizenID: "110105198503070027", name: "李娜")
        station.day = Station.day(2027, 3, 5)
        _ = try station.registry.sweep(through: station.day)
        let before = try await station.reading(of: impostor)
        let result = await station.acts().reconcile(try station.card(in: impostor))
        #expect(result.findings.map(\.kind) == ["alert"], "\(result.findings)")
        #expect(!(result.findings.first?.sentence.contains("李娜") ?? true), "an alert names no personal data")
        #expect(CardSnapshot(try await station.reading(of: impostor)).shows(CardSnapshot(before)))
        #expect(try station.registry.details(permit: permit).endorsements.isEmpty)
        #expect(try station.journal()[.pending] == 0)
    }
}
