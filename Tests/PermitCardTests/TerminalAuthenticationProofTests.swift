import CardEmulator
import CardSecurity
import Lifecycle
import PermitCard
import SmartCard
import Testing

/// Issue 18 item 2, "sign after proof": in protocol v1 a card answering `90 00` to any cryptogram got
/// the signed endorsement, caught only by the MAC of its answer. In v2 the card proves itself twice
/// before anything is signed (chip authentication, then its own role cryptogram), so a card that only
/// says `90 00` gets nothing.
@Suite("Sign after proof")
struct TerminalAuthenticationProofTests {
    @Test("a card answering 90 00 to role authentication without its cryptogram receives nothing signed")
    func aCardAnsweringOKGetsNothingSigned() async throws {
        try await OperationTests.withIssuedCard(pin: nil) { bench in
            let before = bench.card.state
            // APDU 3 is EXTERNAL AUTHENTICATE (SELECT, GENERAL AUTHENTICATE, EXTERNAL AUTHENTICATE): the card
            // answers a bare 90 00 instead of its protected cryptogram.
            bench.setFaultPlan(FaultPlan(forcedStatus: .success, forcedStatusAt: 3))
            let trace = APDUTrace()
            let card = try await bench.permitCard(Fixture.kiosk, trace: trace)
            await #expect(throws: PermitCardError.self) {
                _ = try await card.with(clock: .test(day: OperationTests.day(2027, 2, 15))).endorse()
            }
            let sent = trace.lines.filter { $0.hasPrefix("A>>") }
            #expect(sent.count == 3, "nothing after the unproven role authentication: \(trace.text)")
            #expect(!sent.contains { $0.contains(" 0CE2") }, "no APPEND RECORD, so no signed record left the station")
            #expect(bench.card.state == before, "the card wrote nothing")
        }
    }
}
