import CardEmulator
import CardSecurity
import Lifecycle
import PermitCard
import SmartCard
import Testing

/// Issue 14 finding 10 and CARD-SPEC §10.3 as now written: EXTERNAL AUTHENTICATE authenticates the
/// terminal only. A card that answers `90 00` to any cryptogram is exposed by the MAC of its answer to
/// the next protected command, and that command already carries the signed endorsement: in protocol
/// version 1 the station sends a signed record before the card has proved itself (issue 18 changes that).
@Suite("What EXTERNAL AUTHENTICATE proves")
struct TerminalAuthenticationProofTests {
    @Test("a card accepting any cryptogram receives the signed record, and is caught only by its answer's MAC")
    func aCardAcceptingAnyCryptogramGetsTheSignedRecord() async throws {
        try await OperationTests.withIssuedCard(pin: nil) { bench in
            // A kiosk of another authority: its endorsing key is not this card's.
            let other = try TestAuthority.generate(notBefore: Fixture.moment(OperationTests.day(2025, 1, 1)), notAfter: Fixture.moment(OperationTests.day(2035, 1, 1)))
            let stranger = PermitTerminal.endorsingStation(station: Fixture.kioskStation, masterKeys: other.masterKeys, credential: other.kiosk, trust: other.trustStore)
            let before = bench.card.state
            // The card answers 90 00 to EXTERNAL AUTHENTICATE (APDU 4: SELECT, READ RECORD, GET CHALLENGE, EXTERNAL AUTHENTICATE)
            // without checking the cryptogram, as a card that accepts any would.
            bench.setFaultPlan(FaultPlan(forcedStatus: .success, forcedStatusAt: 4))
            let trace = APDUTrace()
            let card = try await bench.permitCard(stranger, trace: trace)
            do {
                _ = try await card.with(clock: .test(day: OperationTests.day(2027, 2, 15))).endorse()
                Issue.record("the endorsement went through")
            } catch {
                guard case PermitCardError.secureMessagingRejected = error else { Issue.record("expected the card's secure-messaging refusal, got \(error)"); return }
            }
            let sent = trace.lines.filter { $0.hasPrefix("A>>") }
            #expect(sent.count >= 5, "\(trace.text)")
            #expect(sent.count == 5 && sent[4].contains(" 0CE2"), "the protected APPEND RECORD with the signed record was sent: \(trace.text)")
            #expect(bench.card.state == before, "the card wrote nothing")
        }
    }
}
