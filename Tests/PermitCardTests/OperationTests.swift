import CardEmulator
import CardSecurity
import Lifecycle
@testable import PermitCard
import SmartCard
import Testing

/// Every operation after issuance, each followed by a full verification, against the reference card in
/// process (each operation also runs once through pcscd in `EndToEndTests`).
@Suite("Operations on an issued card")
struct OperationTests {
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    /// Runs `body` with an issued card of `profile` in an in-process reader.
    static func withIssuedCard<T>(profile: String = "zhejiang", pin: String? = "123456", _ body: (InProcessBench) async throws -> T) async throws -> T {
        let state = try await IssuedCards.shared.state(profile: profile, pin: pin)
        return try await withPermitCard(profile: profile, state: state, body)
    }

    /// Verifies on `date` with a status list issued that day listing `entries`.
    static func verify(
        _ bench: some CardBench, on date: CalendarDate, listing entries: [StatusList.Entry] = [], sequence: UInt32 = 1
    ) async throws -> (CardReading, VerificationReport) {
        let verifier = try await bench.permitCard(Fixture.verifier(on: date, listing: entries, sequence: sequence))
        return try await verifier.with(clock: .test(day: date)).verify()
    }

    @Test("a timely endorsement at a kiosk moves the expiry one period on from the same anchor")
    func timelyEndorsement() async throws {
        try await Self.withIssuedCard { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let record = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()
            #expect(record.endorsementClass == .timely)
            #expect(record.anchor == Fixture.issueDay)
            #expect(record.expiry == Self.day(2028, 3, 1))
            #expect(record.number == 1)
            let (reading, report) = try await Self.verify(bench, on: Self.day(2027, 6, 1))
            #expect(report.passed, "\(report.failures)")
            #expect(try reading.endorsements() == [record])
        }
    }

    @Test("a late endorsement in Zhejiang restarts the residence period and keeps the issue anniversary")
    func lateEndorsement() async throws {
        try await Self.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            let record = try await desk.with(clock: .test(day: Self.day(2027, 3, 10))).endorse()
            #expect(record.endorsementClass == .lateReset)
            #expect(record.anchor == Self.day(2027, 3, 10))
            #expect(record.expiry == Self.day(2028, 3, 1))
            let (_, report) = try await Self.verify(bench, on: Self.day(2027, 3, 11))
            #expect(report.passed, "\(report.failures)")
        }
    }

    @Test("in Inner Mongolia a late endorsement within the grace keeps continuity and needs the holder PIN")
    func lateContinuousWithPIN() async throws {
        try await Self.withIssuedCard(profile: "inner-mongolia", pin: "2468") { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let before = bench.card.state
            await #expect(throws: PermitCardError.pinRequired(operation: PermitCard.endorseOperation)) {
                try await kiosk.with(clock: .test(day: Self.day(2027, 3, 20))).endorse()
            }
            #expect(bench.card.state == before)
            let record = try await kiosk.with(clock: .test(day: Self.day(2027, 3, 20))).endorse(pin: "2468")
            #expect(record.endorsementClass == .lateContinuous)
            #expect(record.anchor == Fixture.issueDay)
            #expect(record.expiry == Self.day(2028, 3, 1))
            let (_, report) = try await Self.verify(bench, on: Self.day(2027, 4, 1))
            #expect(report.passed, "\(report.failures)")
        }
    }

    @Test("the caller may pass the class and dates it decided (the registry's classification)")
    func givenDecision() async throws {
        try await Self.withIssuedCard { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            let record = try await kiosk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse(decision: .given(.timely, anchor: Fixture.issueDay, expiry: Self.day(2028, 3, 1)))
            #expect(record.expiry == Self.day(2028, 3, 1))
        }
    }

    @Test("verification by date: in force, expired (suspended by the calendar), due for cancellation beyond the limit (not in force), listed")
    func datesAndList() async throws {
        try await Self.withIssuedCard { bench in
            var (_, report) = try await Self.verify(bench, on: Self.day(2027, 3, 1))
            #expect(report.passed, "\(report.failures)")
            (_, report) = try await Self.verify(bench, on: Self.day(2027, 3, 2))
            #expect(report.failures.map(\.check) == [.dates])
            #expect(report.failures.first?.reason.contains("suspended since 2027-03-02") == true)
            (_, report) = try await Self.verify(bench, on: Self.day(2027, 5, 1))
            #expect(report.failures.map(\.check) == [.dates])
            #expect(report.failures.first?.reason.contains("not in force, due for cancellation since 2027-05-01") == true)
            let listed = try StatusList.Entry(serial: Fixture.serial(1), status: 3, reason: 0x20, effective: CalendarDate(year: 2026, month: 5, day: 1)!, statusSequence: 2)
            (_, report) = try await Self.verify(bench, on: Self.day(2026, 6, 1), listing: [listed], sequence: 2)
            #expect(report.failures.map(\.check) == [.statusList])
            #expect(throws: PermitCardError.notValid(check: "status list", reason: report.failures.first?.reason ?? "")) { try report.requireValid() }
        }
    }

    @Test("an endorsement whose dates the rules do not give fails verification, though its signature is good")
    func endorsementAgainstRules() async throws {
        try await Self.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            _ = try await desk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse(decision: .given(.timely, anchor: Fixture.issueDay, expiry: Self.day(2029, 3, 1)))
            let (_, report) = try await Self.verify(bench, on: Self.day(2027, 2, 11))
            #expect(report.failures.map(\.check) == [.endorsements])
            #expect(report.failures.first?.reason.contains("does not agree with the rules") == true)
        }
    }

    @Test("an overdue suspension is lifted by a late endorsement alone; an officer's suspension by a restore")
    func suspensions() async throws {
        try await Self.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            let suspended = try await desk.with(clock: .test(day: Self.day(2027, 3, 2))).suspend(overdue: true)
            #expect(suspended.sequence == 2)
            var (_, report) = try await Self.verify(bench, on: Self.day(2027, 3, 5))
            #expect(report[.status] != .passed)
            #expect(report[.authoritySignature] == .passed)
            #expect(throws: PermitCardError.notValid(check: "status", reason: "recorded status: suspended (overdue: not endorsed by the expiry date) since 2027-03-02")) {
                try report.requireValid()
            }

            let endorsement = try await desk.with(clock: .test(day: Self.day(2027, 3, 10))).endorse()
            #expect(endorsement.statusSequence == 2)
            (_, report) = try await Self.verify(bench, on: Self.day(2027, 3, 11))
            #expect(report.passed, "\(report.failures)")

            _ = try await desk.with(clock: .test(day: Self.day(2027, 4, 1))).suspend()
            await #expect(throws: PermitCardError.statusForbids(operation: "record \"suspended (by an officer's order)\"", status: "suspended")) {
                try await desk.with(clock: .test(day: Self.day(2027, 4, 2))).suspend()
            }
            let (reading, suspendedReport) = try await Self.verify(bench, on: Self.day(2027, 4, 2))
            #expect(try reading.status().newest?.change == .suspendedByOfficer)
            #expect(suspendedReport[.status] != .passed)
            await #expect(throws: PermitCardError.statusForbids(operation: PermitCard.endorseOperation, status: "suspended (by an officer's order)")) {
                try await desk.with(clock: .test(day: Self.day(2027, 4, 2))).endorse()
            }

            let restored = try await desk.with(clock: .test(day: Self.day(2027, 4, 3))).restore()
            #expect(restored.sequence == 4)
            // A list published while the card was suspended loses to the card's later restore record.
            let listed = try StatusList.Entry(serial: Fixture.serial(1), status: 2, reason: 0x11, effective: CalendarDate(year: 2027, month: 4, day: 1)!, statusSequence: 3)
            (_, report) = try await Self.verify(bench, on: Self.day(2027, 4, 4), listing: [listed], sequence: 3)
            #expect(report.passed, "\(report.failures)")
        }
    }

    @Test("cancellation is final: its reason is recorded, and nothing is endorsed or restored after it")
    func cancellation() async throws {
        try await Self.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            let record = try await desk.with(clock: .test(day: Self.day(2026, 9, 1))).cancel(reason: .localHukou)
            #expect(record.change == .cancelled(.localHukou))
            let (reading, report) = try await Self.verify(bench, on: Self.day(2026, 9, 2))
            #expect(try reading.status().recorded == .cancelled)
            #expect(report[.status] != .passed)
            #expect(report[.chipAuthentication] == .passed)
            let before = bench.card.state
            await #expect(throws: PermitCardError.statusForbids(operation: "record \"in force (restored by an officer)\"", status: "cancelled")) {
                try await desk.with(clock: .test(day: Self.day(2026, 9, 3))).restore()
            }
            await #expect(throws: PermitCardError.statusForbids(operation: PermitCard.endorseOperation, status: "cancelled (localHukou)")) {
                try await desk.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()
            }
            await #expect(throws: PermitCardError.statusForbids(operation: "record \"cancelled (falseDocuments)\"", status: "cancelled")) {
                try await desk.with(clock: .test(day: Self.day(2026, 9, 3))).cancel(reason: .falseDocuments)
            }
            #expect(bench.card.state == before)
        }
    }

    @Test("an address change is re-signed into the other slot; the newest slot is current")
    func addressChange() async throws {
        try await Self.withIssuedCard { bench in
            let desk = try await bench.permitCard(Fixture.issuingStation())
            var moved = Fixture.address
            moved.text = "浙江省杭州市西湖区文三路1号"
            moved.since = Self.day(2026, 8, 1)
            let second = try await desk.with(clock: .test(day: Self.day(2026, 8, 5))).changeAddress(to: moved)
            #expect(second.sequence == 2)
            moved.text = "浙江省杭州市滨江区江南大道2号"
            let third = try await desk.with(clock: .test(day: Self.day(2026, 9, 5))).changeAddress(to: moved)
            #expect(third.sequence == 3)
            let (reading, report) = try await Self.verify(bench, on: Self.day(2026, 9, 6))
            #expect(report.passed, "\(report.failures)")
            let current = try #require(try reading.currentResidence())
            #expect(current.slot == 1)
            #expect(current.record.address == moved.text)
        }
    }

    @Test("a replacement card carries the permit; the old card is void and the new one names it")
    func replacement() async throws {
        try await Self.withIssuedCard { old in
            try await withPermitCard(serial: Fixture.serial(2)) { new in
                let oldCard = try await old.permitCard(Fixture.issuingStation())
                _ = try await oldCard.with(clock: .test(day: Self.day(2027, 2, 10))).endorse()
                let newCard = try await new.permitCard(Fixture.issuingStation())
                let (issued, voided) = try await newCard.with(clock: .test(day: Self.day(2027, 2, 20))).replace(from: oldCard, reason: .damaged)
                #expect(issued.serial == Fixture.serial(2))
                #expect(voided.change == .replaced(.damaged))

                let (newReading, newReport) = try await Self.verify(new, on: Self.day(2027, 2, 21))
                #expect(newReport.passed, "\(newReport.failures)")
                let info = try #require(try newReading.cardInfo().personalisation)
                #expect(info.replaces == Fixture.serial(1))
                #expect(info.issued == Fixture.issueDay)
                #expect(info.expiry == Self.day(2028, 3, 1))
                #expect(try newReading.holder() == Fixture.holder)

                let listed = try StatusList.Entry(serial: Fixture.serial(1), status: 4, reason: 0x31, effective: CalendarDate(year: 2027, month: 2, day: 20)!, statusSequence: 2)
                let (oldReading, oldReport) = try await Self.verify(old, on: Self.day(2027, 2, 21), listing: [listed], sequence: 2)
                #expect(try oldReading.status().recorded == .replaced)
                #expect(oldReport[.status] != .passed)
                #expect(oldReport[.statusList] != .passed)
            }
        }
    }

    @Test("the holder PIN verifies at a kiosk, the holder changes it with the old one, and unblocks it only with the PUK, whose tries are counted apart")
    func holderPIN() async throws {
        let (state, issuedPUK) = try await IssuedCards.shared.card(profile: "zhejiang", pin: "123456")
        let puk = try #require(issuedPUK, "issuance with a PIN gives the holder a PUK")
        #expect(puk.count == 8 && puk.allSatisfy(\.isNumber))
        try await withPermitCard(state: state) { bench in
            let kiosk = try await bench.permitCard(Fixture.kiosk)
            try await kiosk.verifyPIN("123456")
            #expect(try await kiosk.pinTriesLeft() == 3)

            await #expect(throws: PermitCardError.wrongPIN(triesLeft: 2)) { try await kiosk.changePIN(old: "111111", new: "222222") }
            try await kiosk.changePIN(old: "123456", new: "222222")
            try await kiosk.verifyPIN("222222")
            for left in [2, 1] { await #expect(throws: PermitCardError.wrongPIN(triesLeft: left)) { try await kiosk.verifyPIN("123456") } }
            await #expect(throws: PermitCardError.pinBlocked) { try await kiosk.verifyPIN("123456") }
            await #expect(throws: PermitCardError.pinBlocked) { try await kiosk.verifyPIN("222222") }

            // The desk cannot unblock without the PUK; a wrong PUK costs a PUK try, not a PIN try.
            let desk = try await bench.permitCard(Fixture.issuingStation())
            let wrong = String(puk.reversed()) == puk ? "00000000" : String(puk.reversed())
            await #expect(throws: PermitCardError.wrongPUK(triesLeft: 9)) { try await desk.unblockPIN(puk: wrong, newPIN: "654321") }
            await #expect(throws: PermitCardError.pinBlocked) { try await kiosk.verifyPIN("222222") }
            try await desk.unblockPIN(puk: puk, newPIN: "654321")
            try await kiosk.verifyPIN("654321")
            // At a kiosk too, with the PUK: the counter only.
            await #expect(throws: PermitCardError.wrongPIN(triesLeft: 2)) { try await kiosk.verifyPIN("123456") }
            try await kiosk.unblockPIN(puk: puk)
            #expect(try await kiosk.pinTriesLeft() == 3)
        }
    }
}
