import CardEmulator
import CardProfiles
import CardSecurity
import Lifecycle
@testable import PermitCard
import SmartCard
import Synchronization
import Testing

/// Issue 18 item 10: the attacks of the review, each run through the real stack (Swift → libpcsclite →
/// the private pcscd → vpcd → the reference card), with a hostile relay (`Relay`) on the station's
/// connection. Each must fail, and a station must neither accept what the relay made up nor hand it
/// anything signed.
@Suite("Attacks through pcscd: relays, replays, injected commands")
struct RelayAttackTests {
    static let day = OperationTests.day

    static func card(_ bench: PCSCBench, _ terminal: PermitTerminal, relay tamper: Relay.Tamper? = nil, on date: CalendarDate) async throws -> (PermitCard, Relay) {
        let connection = try await bench.connect()
        let relay = tamper.map { Relay(connection, tamper: $0) } ?? Relay(connection)
        return (PermitCard(connection: relay, profile: bench.profile, terminal: terminal).with(clock: .test(day: date)), relay)
    }

    @Test("a relay replaying the card's old permit state (in force) after a suspension is refused: the answer fails its MAC")
    func replayedStatusRecord() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let (before, recorder) = try await Self.card(bench, Fixture.verifier(on: Self.day(2026, 6, 1)), on: Self.day(2026, 6, 1))
            let (_, genuine) = try await before.verify()
            #expect(genuine.passed, "\(genuine.failures)")
            let inForce = try #require(recorder.answer(to: 0xCA), "the relay kept the protected permit state")

            let desk = try await bench.permitCard(Fixture.issuingStation())
            _ = try await desk.with(clock: .test(day: Self.day(2026, 6, 2))).suspend()

            let swap: Relay.Tamper = { command, forward in
                let answer = try await forward(command)
                return command.ins == 0xCA ? inForce : answer
            }
            let (after, _) = try await Self.card(bench, Fixture.verifier(on: Self.day(2026, 6, 3)), relay: swap, on: Self.day(2026, 6, 3))
            await #expect(throws: PermitCardError.security(.secureMessagingMACMismatch)) { _ = try await after.verify() }
            await #expect(throws: PermitCardError.security(.secureMessagingMACMismatch)) { _ = try await after.status() }
            let (honest, _) = try await Self.card(bench, Fixture.verifier(on: Self.day(2026, 6, 3)), on: Self.day(2026, 6, 3))
            #expect(try await honest.status().status.recorded == .suspended)
        }
    }

    @Test("a relay hiding the newer residence slot (an old answer) or the endorsements (a bare 6A 83) is refused, never read as fewer records")
    func hiddenRecords() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let (before, recorder) = try await Self.card(bench, Fixture.verifier(on: Self.day(2026, 6, 1)), on: Self.day(2026, 6, 1))
            _ = try await before.read()
            let oneSlot = try #require(recorder.exchanges.first { $0.command.ins == 0xB2 }?.response, "READ RECORD EF.RESIDENCE")

            var moved = Fixture.address
            moved.text = "浙江省杭州市西湖区文三路1号"
            let desk = try await bench.permitCard(Fixture.issuingStation())
            _ = try await desk.with(clock: .test(day: Self.day(2026, 6, 2))).changeAddress(to: moved)
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            _ = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()

            // The residence READ RECORD is the first B2 of a read; the endorsements' the second.
            let residenceCalls = Mutex(0)
            let oldSlot: Relay.Tamper = { command, forward in
                let answer = try await forward(command)
                guard command.ins == 0xB2 else { return answer }
                return residenceCalls.withLock { calls in calls += 1; return calls == 1 } ? oneSlot : answer
            }
            let (hidingSlot, _) = try await Self.card(bench, Fixture.verifier(on: Self.day(2027, 3, 1)), relay: oldSlot, on: Self.day(2027, 3, 1))
            await #expect(throws: PermitCardError.security(.secureMessagingMACMismatch)) { _ = try await hidingSlot.verify() }

            let endorsementCalls = Mutex(0)
            let noEndorsements: Relay.Tamper = { command, forward in
                let answer = try await forward(command)
                guard command.ins == 0xB2 else { return answer }
                return try endorsementCalls.withLock { calls in calls += 1; return calls == 2 } ? ResponseAPDU(bytes: [0x6A, 0x83]) : answer
            }
            let (hidingEndorsements, _) = try await Self.card(bench, Fixture.verifier(on: Self.day(2027, 3, 1)), relay: noEndorsements, on: Self.day(2027, 3, 1))
            do throws(PermitCardError) {
                _ = try await hidingEndorsements.verify()
                Issue.record("a bare 6A 83 was taken for an empty EF.ENDORSE")
            } catch {
                #expect(error == .cardRefused(command: "READ RECORD endorsements", statusWord: 0x6A83), "\(error)")
            }
        }
    }

    @Test("a relay with a chip key of its own, in the middle of a session with the genuine card, harvests nothing signed: the station stops at role authentication")
    func harvestingRelay() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let before = bench.card.state
            for (terminal, act) in [(Fixture.kiosk, "endorse"), (Fixture.issuingStation(), "suspend")] {
                let impostor = try ImpostorChip()
                let (card, relay) = try await Self.card(bench, terminal, relay: impostor.answer, on: Self.day(2027, 2, 10))
                do throws(PermitCardError) {
                    if act == "endorse" { _ = try await card.endorse() } else { _ = try await card.suspend() }
                    Issue.record("\(act) went on through a relay that does not hold the card's keys")
                } catch {
                    guard case .copiedCard = error else { Issue.record("\(act): expected the card's cryptogram to fail, got \(error)"); continue }
                }
                let seen = impostor.commandsFromStation.map(\.ins)
                #expect(seen == [0x82], "\(act): the station sent the impostor role authentication and nothing after it: \(seen)")
                #expect(impostor.cardAnswers.map(\.statusWord.value) == [0x6300], "the genuine card refused the station's cryptogram relayed into another session")
                #expect(!relay.exchanges.contains { [0xE2, 0xDC, 0xD6].contains($0.command.ins) }, "no write reached the card")
            }
            #expect(bench.card.state == before, "the card is unchanged")
        }
    }

    @Test("a relay passing a genuine session along sees only ciphertext: the signed record it carried is not in what it saw")
    func passiveRelaySeesNoRecord() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let (kiosk, relay) = try await Self.card(bench, Fixture.kiosk, on: Self.day(2027, 2, 10))
            let record = try await kiosk.endorse()
            let signed = record.encoded(length: 95)
            #expect(relay.exchanges.contains { $0.command.ins == 0xE2 })
            #expect(!relay.bytesSeen.contains(bytes: Array(signed.suffix(64))), "the signature crossed the relay in the clear")
            #expect(!relay.bytesSeen.contains(bytes: Array(signed.prefix(23))), "the record's body crossed the relay in the clear")
        }
    }

    @Test("a replayed FCI in front of another chip gives no status: the chip cannot prove this card's key")
    func replayedFCI() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let fci = try await withPCSCCard(state: issued) { bench in
            let (card, relay) = try await Self.card(bench, Fixture.verifier(on: Self.day(2026, 6, 1)), on: Self.day(2026, 6, 1))
            #expect(try await card.status().status.recorded == .inForce)
            return try #require(relay.answer(to: 0xA4))
        }
        try await withPCSCCard(serial: Fixture.serial(2)) { bench in
            let replay: Relay.Tamper = { command, forward in
                let answer = try await forward(command)
                return command.ins == 0xA4 ? fci : answer
            }
            let (card, relay) = try await Self.card(bench, Fixture.verifier(on: Self.day(2026, 6, 1)), relay: replay, on: Self.day(2026, 6, 1))
            #expect(try await card.inspect().serial == Fixture.serial(1), "the FCI alone names the genuine card")
            await #expect(throws: PermitCardError.self) { _ = try await card.status() }
            #expect(!relay.exchanges.contains { $0.command.ins == 0xCA }, "no permit state was asked for, let alone received")
        }
    }

    @Test("a plain command injected after an officer's role authentication answers 69 87, is not executed and ends the officer's session")
    func injectedPlainCommand() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            let before = bench.card.state
            let injected = Mutex<ResponseAPDU?>(nil)
            let statusFile = UInt8(bench.profile.file(holding: .status).sfi ?? 5)
            let inject: Relay.Tamper = { command, forward in
                let answer = try await forward(command)
                if command.ins == 0x82 {
                    // A plain APPEND RECORD to EF.STATUS riding on the officer's authentication.
                    let plain = try CommandAPDU(cla: 0x00, ins: 0xE2, p1: 0x00, p2: statusFile << 3, data: [UInt8](repeating: 0x01, count: 87))
                    let refused = try await forward(plain)
                    injected.withLock { $0 = refused }
                }
                return answer
            }
            let (desk, _) = try await Self.card(bench, Fixture.issuingStation(), relay: inject, on: Self.day(2026, 6, 2))
            await #expect(throws: PermitCardError.secureMessagingRejected(command: "GET DATA permit state", statusWord: 0x6988)) { _ = try await desk.suspend() }
            let refusal = try #require(injected.withLock { $0 })
            #expect(refusal.statusWord.value == 0x6987 && refusal.data.isEmpty)
            #expect(bench.card.state == before, "neither the injected command nor the officer's suspension was written")
        }
    }
}

extension RelayAttackTests {
    @Test("a reading key, the most widely held, may not present the holder PIN, change it or unblock it: 69 82 and no try spent")
    func readingKeyTriesVERIFY() async throws {
        let (issued, puk) = try await IssuedCards.shared.card(profile: "zhejiang", pin: "123456")
        try await withPCSCCard(state: issued) { bench in
            var session = try ApplicationSession(connection: try await bench.connect(), profile: bench.profile)
            try await session.connection.withTransaction {
                _ = try await session.open(.readingTerminal, terminal: Fixture.verifier(statusList: nil), for: "try the PIN")
                let commands = session.commands
                for (name, command) in [
                    ("VERIFY", try commands.verify(pin: "000000")), ("VERIFY", try commands.verify(pin: "123456")),
                    ("CHANGE REFERENCE DATA", try commands.changePIN(old: "123456", new: "000000")),
                    ("RESET RETRY COUNTER", try commands.resetRetryCounter(puk: try #require(puk), newPIN: "000000")),
                ] {
                    let answer = try await session.exchange(command)
                    #expect(answer.statusWord.value == 0x6982, "\(name) with the reading key answered \(answer.statusWord)")
                }
            }
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            #expect(try await kiosk.pinTriesLeft() == 3, "no try was spent")
            try await kiosk.verifyPIN("123456")
        }
    }
}

/// A relay holding a chip key of its own: toward the station it plays the chip (its chip authentication
/// passes, since the key is its own), toward the genuine card it runs a chip authentication of its own, and
/// it re-wraps every protected command from one session into the other. It can read what the station
/// sends, but not make the genuine card's role cryptogram for the station's session: so it answers
/// role authentication with bytes of its own.
final class ImpostorChip: Sendable {
    private struct Channels {
        var towardStation: SecureMessagingChannel?
        var towardCard: SecureMessagingChannel?
        var commandsFromStation: [CommandAPDU] = []
        var cardAnswers: [ResponseAPDU] = []
    }

    private let key: AgreementKey
    private let state = Mutex(Channels())

    init() throws { key = try AgreementKey.random() }

    /// The plain commands the station sent inside its session with the impostor.
    var commandsFromStation: [CommandAPDU] { state.withLock { $0.commandsFromStation } }
    /// The genuine card's answers to them, relayed into the impostor's own session with it.
    var cardAnswers: [ResponseAPDU] { state.withLock { $0.cardAnswers } }

    @Sendable func answer(_ command: CommandAPDU, forward: Relay.Forward) async throws -> ResponseAPDU {
        if command.cla == 0x00, command.ins == 0x86 {
            let request = try ChipAuthentication.Request(suite: .international)
            let genuine = try await forward(try CommandAPDU(cla: 0x00, ins: 0x86, p1: 0, p2: 0, data: request.commandData, ne: 256))
            let withCard = try request.accept(genuine.data)
            let (answer, withStation) = try ChipAuthentication.respond(
                to: command.data, chipKey: key, chipKeyFile: ChipKeyFile.encode(key.publicKey), cardNonce: ChipAuthentication.randomNonce())
            state.withLock {
                $0.towardStation = SecureMessagingChannel(keys: withStation.keys)
                $0.towardCard = SecureMessagingChannel(keys: withCard.keys)
            }
            return ResponseAPDU(data: answer)
        }
        guard command.cla & 0x0C == 0x0C else { return try await forward(command) }
        var (station, card) = state.withLock { ($0.towardStation!, $0.towardCard!) }
        let (plain, _) = try station.unprotect(ProtectedCommand(command))
        let relayed = try await forward(try card.protect(plain, encrypt: true, extendedLength: true).apdu)
        let cardAnswer = (try? card.unprotect(response: relayed.bytes)) ?? relayed
        // The card refuses the relayed cryptogram (63 00); the impostor claims success with a cryptogram of its own.
        let claimed = plain.ins == 0x82 ? ResponseAPDU(data: ChipAuthentication.randomNonce() + ChipAuthentication.randomNonce()) : cardAnswer
        let back = try station.protect(claimed, encrypt: true)
        state.withLock {
            $0.towardStation = station
            $0.towardCard = card
            $0.commandsFromStation.append(plain)
            $0.cardAnswers.append(cardAnswer)
        }
        return try ResponseAPDU(bytes: back)
    }
}
