import CardEmulator
import CardProfiles
import CardSecurity
import Foundation
import KeyCustody
import Lifecycle
import PCSCSandbox
import PermitApplet
import PermitCard
import SmartCard
import Testing

/// A card's life with every key in a token, through the real stack (SoftHSM2; Swift -> libpcsclite ->
/// private pcscd -> vpcd -> the reference card): the card bureau and the issuing desk work from the
/// issuing token, a kiosk from its own token, a field verifier from its; and the kiosk's token, which
/// holds only the endorsing master key and the kiosk's key, is refused everything else.
@Suite("A kiosk's token holds only what a kiosk may use")
struct KioskTokenTests {
    static let issueDay = CalendarDate(year: 2026, month: 3, day: 1)!

    static let station = DigitCode.station("330102000001")!
    static let holder = HolderIdentity(
        name: "张伟", latinName: "ZHANG WEI", sex: "1", birthDate: CalendarDate(year: 1990, month: 5, day: 17)!, ethnicGroup: "01",
        citizenID: try! CitizenID("110105199005171233"), householdAddress: "北京市东城区景山前街4号", permitNumber: "330102202600001",
        issuingAuthority: "杭州市公安局上城区分局", authorityStation: station)
    static let address = ResidenceAddress(
        district: DigitCode.district("330102")!, text: "浙江省杭州市上城区解放路100号3单元502室", since: CalendarDate(year: 2025, month: 9, day: 1)!)

    @Test func kioskEndorsesAndIsRefusedEverythingElse() async throws {
        let profile = try TestTokens.profile()
        let masters = try TestTokens.masterKeys(for: profile)
        let issuing = try TestTokens.setUp(.issuing, masterKeys: masters).token
        let kiosk = try TestTokens.setUp(.kiosk, masterKeys: masters).token
        let verifier = try TestTokens.setUp(.verifier, masterKeys: masters).token
        let authority = try TestTokens.setUp(.authority, masterKeys: masters).token
        let trust = TestTokens.trust([issuing, kiosk, authority])
        let statusList = try SignedStatusList.sign(
            try StatusList(suite: .international, issuedOn: CalendarDate(year: 2027, month: 2, day: 15)!, sequence: 1, entries: []),
            signer: try authority.credential(.statusListSigner))
        let desk = PermitTerminal.issuingStation(
            station: Self.station, masterKeys: issuing, stationCredential: try issuing.credential(.issuingStation),
            documentSigner: try issuing.credential(.documentSigner), trust: trust)
        let kioskTerminal = PermitTerminal(
            station: DigitCode.station("330102000009")!, masterKeys: kiosk, recordSigner: try kiosk.credential(.kiosk),
            documentSigner: nil, trust: trust)
        let field = PermitTerminal.verifier(masterKeys: verifier, trust: trust, statusList: statusList, station: DigitCode.station("330102000099")!)

        // The card bureau derives the blank card's issuing key inside the issuing token.
        let card = try PermitApplet.freshCard(profile: profile, serial: try CardSerial(hex: "5A4A0000000000A1"), masterKeys: issuing)
        try await PCSCSandbox.shared.withSlot(holder: Test.current?.name ?? #fileID) { slot in
            let link = VPCDLink(card: card, configuration: .init(host: "127.0.0.1", port: UInt16(slot.port)))
            let context = PCSCContext(callTimeout: .seconds(10))
            link.start()
            do {
                try await link.waitUntilConnected()
                try await Self.walk(card: card, profile: profile, slot: slot, context: context, desk: desk, kiosk: kioskTerminal, field: field)
            } catch {
                try? await link.stop()
                throw error
            }
            try await link.stop()
            try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: false, timeout: .seconds(10))
        }

        // Asked directly, the kiosk's token has no issuing or reading master key and no document signer.
        let issuingMaster = MasterKeyReference(role: .issuingStation, label: profile.key(for: .issuingStation)!.master)
        #expect(throws: CardSecurityError.self) { try kiosk.diversify(KeyDerivation.fixedInput(label: [], context: []), master: issuingMaster) }
        #expect(throws: CardSecurityError.self) { try kiosk.credential(.documentSigner) }
        #expect(kiosk.roles == [.endorsingStation])
    }

    /// Issue at the desk, the kiosk refused all but endorsement, then the field verifier's verdict.
    static func walk(
        card: EmulatedCard, profile: CardProfile, slot: SandboxSlot, context: PCSCContext, desk: PermitTerminal, kiosk kioskTerminal: PermitTerminal,
        field: PermitTerminal
    ) async throws {
        try await PCSCSandbox.shared.waitForReader(slot.readerName, in: context, hasCard: true, timeout: .seconds(10))
        try await PCSCSandbox.shared.waitUntilAnswering(slot.readerName, in: context, timeout: .seconds(10))
        func permitCard(_ terminal: PermitTerminal) async throws -> PermitCard {
            let connection = try await context.connect(slot.readerName, options: ChannelOptions(extendedLength: profile.apdu.extendedLength))
            return PermitCard(connection: connection, profile: profile, terminal: terminal)
        }

        let deskCard = try await permitCard(desk)
        _ = try await deskCard.with(clock: .test(day: Self.issueDay)).issue(IssueRequest(holder: Self.holder, address: Self.address, issued: Self.issueDay, pin: nil))
        await deskCard.connection.disconnect()

        let kioskCard = try await permitCard(kioskTerminal)
        let before = card.state
        let refusals: [(String, () async throws -> Void)] = [
            ("issue", { _ = try await kioskCard.with(clock: .test(day: Self.issueDay)).issue(IssueRequest(holder: Self.holder, address: Self.address, issued: Self.issueDay, pin: nil)) }),
            ("address", { _ = try await kioskCard.with(clock: .test(day: Self.issueDay)).changeAddress(to: Self.address) }),
            ("suspend", { _ = try await kioskCard.with(clock: .test(day: Self.issueDay)).suspend() }),
            ("cancel", { _ = try await kioskCard.with(clock: .test(day: Self.issueDay)).cancel(reason: .falseDocuments) }),
            ("rotate keys", { _ = try await kioskCard.rotateKeys() }),
        ]
        for (name, attempt) in refusals {
            do {
                try await attempt()
                Issue.record("the kiosk's token was allowed to \(name)")
            } catch let error as PermitCardError {
                guard case .roleNotHeld = error else { Issue.record("\(name): \(error)"); continue }
            }
        }
        #expect(card.state == before, "nothing was written by the refused acts")

        let endorsement = try await kioskCard.with(clock: .test(day: CalendarDate(year: 2027, month: 2, day: 15)!)).endorse()
        #expect(endorsement.number == 1)
        await kioskCard.connection.disconnect()

        let fieldCard = try await permitCard(field)
        let (_, report) = try await fieldCard.with(clock: .test(day: CalendarDate(year: 2027, month: 2, day: 16)!)).verify()
        #expect(report.passed, "\(report.failures)")
        await fieldCard.connection.disconnect()
    }
}
