import CardEmulator
import CardSecurity
import Foundation
import Lifecycle
import PermitApplet
@testable import PermitCard
import SmartCard
import Testing

/// Issue #3, "Bad input": each refusal has its own error, and nothing is written (in process).
@Suite("Bad input")
struct BadInputTests {
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    @Test("a card of another product: another ATR, or the right ATR without this product's application")
    func anotherProduct() async throws {
        let zhejiang = try Fixture.profile("zhejiang")
        try await withPermitCard(profile: "inner-mongolia") { bench in
            let card = PermitCard(connection: try bench.reader.connect(), profile: zhejiang, terminal: Fixture.issuingStation())
            let before = bench.card.state
            await #expect(throws: PermitCardError.wrongProduct(atr: zhejiang.card.atr == bench.profile.card.atr ? [] : bench.profile.card.atr, profile: "zhejiang")) {
                try await card.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            }
            #expect(bench.card.state == before)
        }
        var lookalike = try Fixture.profile("inner-mongolia")
        lookalike.card.atr = zhejiang.card.atr
        let card = try PermitApplet.freshCard(profile: lookalike, serial: Fixture.serial(3), masterKeys: Fixture.authority.masterKeys)
        try await withPermitCard(profile: "zhejiang", state: card.state) { bench in
            let station = try await bench.permitCard(Fixture.issuingStation())
            await #expect(throws: PermitCardError.applicationNotFound(aid: zhejiang.card.aid, profile: "zhejiang")) {
                try await station.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            }
        }
    }

    @Test("forged data: an altered holder file, a record signed outside the bundle, a security object from another signer")
    func forgedSignatures() async throws {
        let issued = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        let profile = try Fixture.profile("zhejiang")
        let aid = profile.card.aid
        let serial = Fixture.serial(1)

        let alteredHolder = try issued.editing(file: 2, aid: aid) { content in
            guard case .transparent(var data) = content else { return }
            data[5] ^= 0x01  // one byte of the name
            content = .transparent(data: data)
        }
        let rogue = try TestAuthority.generate(
            notBefore: Fixture.moment(Self.day(2025, 1, 1)), notAfter: Fixture.moment(Self.day(2035, 1, 1)))
        let forgedResidence = try ResidenceRecord(
            sequence: 1, statusSequence: 1, writtenOn: Fixture.issueDay, address: Fixture.address, serial: serial, station: Fixture.station,
            signer: rogue.issuingStation)
        let alteredResidence = try issued.editing(file: 3, aid: aid) { content in
            guard case .records(var file) = content else { return }
            file.records[0] = forgedResidence.encoded(length: 223)
            content = .records(file)
        }
        guard case .transparent(let sodFile)? = issued.contents(of: 7, aid: aid) else { throw BenchFailure("no EF.SOD") }
        let genuine = try SignedSecurityObject(decoding: sodFile)
        let resigned = try SignedSecurityObject.sign(genuine.content, signer: rogue.documentSigner).encoded
        let alteredSOD = try issued.editing(file: 7, aid: aid) { content in
            content = .transparent(data: resigned + [UInt8](repeating: 0, count: 1280 - resigned.count))
        }

        let cases: [(CardState, VerificationReport.Check)] = [
            (alteredHolder, .dataIntegrity), (alteredResidence, .residence), (alteredSOD, .authoritySignature),
        ]
        for (state, check) in cases {
            try await withPermitCard(state: state) { bench in
                let verifier = try await bench.permitCard(Fixture.verifier(on: Self.day(2026, 6, 1)))
                let (_, report) = try await verifier.with(clock: .test(day: Self.day(2026, 6, 1))).verify()
                #expect(report[check] != .passed, "\(check) should fail")
                #expect(report.failures.count == 1, "\(report.failures)")
                #expect(throws: PermitCardError.forgedData(check: check.title, reason: report.failures.first?.reason ?? "")) {
                    try report.requireValid()
                }
            }
        }
    }

    @Test("a copied card: the right files on a chip without the card's private key")
    func copiedCard() async throws {
        var copy = try await IssuedCards.shared.state(profile: "zhejiang", pin: "123456")
        copy.appletData["chip-key"] = try AgreementKey.random().rawRepresentation
        try await withPermitCard(state: copy) { bench in
            let verifier = try await bench.permitCard(Fixture.verifier(on: Self.day(2026, 6, 1)))
            let (reading, report) = try await verifier.with(clock: .test(day: Self.day(2026, 6, 1))).verify()
            #expect(report[.chipAuthentication]?.description.contains("token does not match") == true, "\(report.failures)")
            #expect(reading.state == nil && reading.holderFile.isEmpty, "nothing was read from the copy")
            do throws(PermitCardError) {
                try report.requireValid()
                Issue.record("a copy passed")
            } catch {
                guard case .copiedCard = error else { Issue.record("expected copiedCard, got \(error)"); return }
            }
        }
    }

    @Test("a recorded write replayed in another session is refused by the card, and nothing is written")
    func replayedWrite() async throws {
        try await OperationTests.withIssuedCard { bench in
            let trace = APDUTrace()
            let kiosk = try await bench.permitCard(Fixture.kiosk, trace: trace)
            _ = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()
            let line = try #require(trace.lines.last { $0.hasPrefix("A>>") && $0.contains(" 0CE20020 ") })
            let recorded = try #require(Hex.decode(line.split(separator: " ").dropFirst(3).joined()))
            let afterFirst = bench.card.state

            var session = try ApplicationSession(connection: kiosk.connection, profile: bench.profile)
            _ = try await session.open(.endorsingStation, terminal: Fixture.kiosk, for: "replay")
            // Sent as recorded: already wrapped, so as a plain command of this session.
            let replay = PermitCommand(name: "APPEND RECORD EF.ENDORSE", apdu: try SmartCard.CommandAPDU(bytes: recorded), protection: .plain)
            let answer = try await session.exchange(replay)
            #expect(answer.statusWord.value == 0x6988)
            #expect(ApplicationSession.refusal(answer.statusWord.value, "APPEND RECORD EF.ENDORSE")
                == .secureMessagingRejected(command: "APPEND RECORD EF.ENDORSE", statusWord: 0x6988))
            #expect(bench.card.state == afterFirst)
        }
    }

    @Test("a kiosk may not issue or cancel: refused before any write, and the card refuses its key too")
    func kioskRole() async throws {
        try await withPermitCard { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let before = bench.card.state
            await #expect(throws: PermitCardError.roleNotHeld(operation: PermitCard.issueOperation, missing: "the issuing station master key")) {
                try await kiosk.with(clock: .test(day: Fixture.issueDay)).issue(Fixture.request())
            }
            #expect(bench.card.state == before)
        }
        try await OperationTests.withIssuedCard { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let before = bench.card.state
            await #expect(throws: PermitCardError.roleNotHeld(operation: "record \"cancelled (falseDocuments)\"", missing: "the issuing station master key")) {
                try await kiosk.with(clock: .test(day: Fixture.issueDay)).cancel(reason: .falseDocuments)
            }
            // A kiosk that passes its endorsing master key off as the issuing one fails EXTERNAL AUTHENTICATE.
            let keys = Fixture.authority.masterKeys
            let impostor = PermitTerminal(
                station: Fixture.kioskStation, masterKeys: try MasterKeySet(suite: .international, keys: [.issuingStation: keys.masterKey(for: .endorsingStation)!]),
                recordSigner: Fixture.authority.issuingStation, documentSigner: nil, trust: Fixture.authority.trustStore)
            let card = PermitCard(connection: kiosk.connection, profile: bench.profile, terminal: impostor)
            await #expect(throws: PermitCardError.terminalAuthenticationFailed(role: .issuingStation)) {
                try await card.with(clock: .test(day: Fixture.issueDay)).cancel(reason: .falseDocuments)
            }
            // With its own key, the card refuses the status write itself.
            var session = try ApplicationSession(connection: kiosk.connection, profile: bench.profile)
            _ = try await session.open(.endorsingStation, terminal: Fixture.kiosk, for: "cancel")
            let record = try StatusRecord(sequence: 2, change: .cancelled(.falseDocuments), effective: Fixture.issueDay,
                                          station: Fixture.kioskStation, serial: Fixture.serial(1), signer: Fixture.authority.issuingStation)
            await #expect(throws: PermitCardError.accessDenied(command: "APPEND RECORD status")) {
                try await session.run(try session.commands.appendRecord(session.files.status, record.encoded(length: 87)))
            }
            #expect(bench.card.state == before)
        }
    }

    @Test("an endorsement outside its window is refused by the rules and nothing is written", arguments: [
        (CalendarDate(year: 2026, month: 12, day: 1)!, "windowNotOpen:2027-02-01"),
        (CalendarDate(year: 2027, month: 5, day: 5)!, "cancellationDue:2027-05-01"),
    ])
    func outsideWindow(date: CalendarDate, code: String) async throws {
        try await OperationTests.withIssuedCard { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let before = bench.card.state
            do throws(PermitCardError) {
                _ = try await kiosk.with(clock: .test(day: date)).endorse()
                Issue.record("endorsement on \(date) was accepted")
            } catch {
                guard case .endorsementRefused(let refusal, on: date) = error else { Issue.record("unexpected \(error)"); return }
                #expect(refusal.code == code)
            }
            #expect(bench.card.state == before)
        }
    }

    @Test("a wrong PIN costs a try each time until the PIN is blocked; a blocked PIN stops the endorsement")
    func wrongPINUntilBlocked() async throws {
        try await OperationTests.withIssuedCard(profile: "inner-mongolia", pin: "2468") { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let endorsements = bench.card.state.contents(of: 4, aid: bench.profile.card.aid)
            for left in stride(from: 4, through: 1, by: -1) {
                await #expect(throws: PermitCardError.wrongPIN(triesLeft: left)) {
                    try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse(pin: "1111")
                }
            }
            await #expect(throws: PermitCardError.pinBlocked) { try await kiosk.verifyPIN("1111") }
            await #expect(throws: PermitCardError.pinBlocked) {
                try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse(pin: "2468")
            }
            #expect(try await kiosk.pinTriesLeft() == 0)
            #expect(bench.card.state.contents(of: 4, aid: bench.profile.card.aid) == endorsements)
            let desk = try await bench.permitCard(Fixture.issuingStation())
            try await desk.unblockPIN(puk: try #require(await IssuedCards.shared.card(profile: "inner-mongolia", pin: "2468").puk))
            _ = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse(pin: "2468")
        }
    }

    @Test("a profile with a file the commands cannot address (no SFI) is refused by name before any APDU is sent")
    func profileWithoutSFI() async throws {
        var profile = try Fixture.profile("zhejiang")
        profile.files = profile.files.map { file in
            var file = file
            if file.content == .residence { file.sfi = nil }
            return file
        }
        try await withPermitCard { bench in
            let card = PermitCard(connection: try bench.reader.connect(), profile: profile, terminal: Fixture.issuingStation())
            bench.setFaultPlan(.none)
            await #expect(throws: PermitCardError.unusableProfile(
                "zhejiang", reason: "file residence has no short identifier (sfi 1-30), and every command addresses its file by one")) {
                try await card.inspect()
            }
            #expect(bench.apduCount == 0)
        }
    }
}
