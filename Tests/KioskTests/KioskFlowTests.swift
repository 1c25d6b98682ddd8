import CardEmulator
import CardSecurity
import Kiosk
import PermitCard
import Testing

/// The kiosk's workflow over the reference card in this process: every state the issue lists, reached the
/// way a holder reaches it, and what the card holds afterwards.
@Suite struct KioskFlowTests {
    @Test func aTimelyEndorsementWithoutPINGoesFromCardInToTakeYourCard() async throws {
        // Zhejiang's profile asks no PIN of a kiosk; the window of the first anniversary (2027-03-01) is open.
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        guard case .offer(let card, let plan) = driver.state else { Issue.record("not offered: \(driver.state)"); return }
        #expect(!card.needsPIN)
        #expect(plan.endorsementClass == .timely)
        #expect(plan.expiry == Fixture.day("2027-03-01") && plan.newExpiry == Fixture.day("2028-03-01"))
        #expect(card.maskedCitizenID == "**************1233")
        await driver.send(.confirm)
        guard case .takeCard(_, let done, .printed) = driver.state else { Issue.record("not done: \(driver.state)"); return }
        #expect(done == plan)
        #expect(kiosk.printed == [plan])
        // The card itself now says so.
        let after = try await kiosk.read(reader: "")
        #expect(after.expiry == Fixture.day("2028-03-01"))
        #expect(after.endorsementCount == 1)
        await driver.remove()
        #expect(driver.state == .idle)
    }

    @Test func theWindowNotYetOpenSaysTheDayItOpens() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2026-09-10"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        guard case .notYetDue(_, let opens, let validUntil) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(opens == Fixture.day("2027-02-01") && validUntil == Fixture.day("2027-03-01"))
        #expect(driver.state.screen(in: .zh).lines.joined().contains("2027年2月1日"))
        #expect(driver.state.screen(in: .en).lines.joined().contains("1 February 2027"))
        await driver.send(.confirm)   // no such button here: nothing happens
        #expect(kiosk.printed.isEmpty)
    }

    @Test func aLateEndorsementInZhejiangSaysTheResidencePeriodRestartsBeforeTheHolderConfirms() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-03-20"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        guard case .offer(_, let plan) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(plan.endorsementClass == .lateReset)
        #expect(plan.suspendedFrom == Fixture.day("2027-03-02"))
        #expect(plan.newResidenceSince == Fixture.day("2027-03-20"))
        // Zhejiang's cycle stays on the issue anniversaries.
        #expect(plan.newExpiry == Fixture.day("2028-03-01"))
        let screen = driver.state.screen(in: .zh)
        #expect(screen.name == "offer-late-reset")
        #expect(screen.notice?.contains("重新计算") == true)
        #expect(screen.notice?.contains("2027年3月20日") == true)
        await driver.send(.confirm)
        guard case .takeCard = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(try await kiosk.read(reader: "").residenceSince == Fixture.day("2027-03-20"))
    }

    @Test func withinInnerMongoliasGraceTheResidencePeriodStaysContinuous() async throws {
        // Expiry 2027-03-01, suspended from 03-02, grace through 03-31 (E + 30 days from the day of suspension).
        let kiosk = try await ReferenceKiosk(profile: "inner-mongolia", pin: "2468", on: Fixture.day("2027-03-20"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        guard case .offer(let card, let plan) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(card.needsPIN)
        #expect(plan.endorsementClass == .lateContinuous)
        #expect(plan.graceEnds == Fixture.day("2027-04-01"))
        #expect(driver.state.screen(in: .en).name == "offer-late")
    }

    @Test func aWrongPINSaysTheTriesLeftAndWritesNothingTheRightOneEndorses() async throws {
        let kiosk = try await ReferenceKiosk(profile: "inner-mongolia", pin: "2468", on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        await driver.send(.confirm)
        guard case .pinEntry(_, _, nil) = driver.state else { Issue.record("\(driver.state)"); return }
        await driver.send(.pin("1111"))
        #expect(driver.state.screen(in: .zh).name == "pin-wrong")
        guard case .pinEntry(_, _, .wrong(let tries)?) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(tries == 4)
        #expect(driver.state.screen(in: .en).notice == "Wrong PIN: 4 tries left before it is blocked.")
        #expect(try await kiosk.read(reader: "").endorsementCount == 0)
        // Longer than the profile allows: refused before the card, no try lost.
        await driver.send(.pin("123456789"))
        guard case .pinEntry(_, _, .badLength?) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(try await kiosk.read(reader: "").pinTriesLeft == 4)
        await driver.send(.pin("2468"))
        guard case .takeCard = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(try await kiosk.read(reader: "").endorsementCount == 1)
    }

    @Test func thePINBlocksAfterTheLastTry() async throws {
        let kiosk = try await ReferenceKiosk(profile: "inner-mongolia", pin: "2468", on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        await driver.send(.confirm)
        for _ in 0..<5 { await driver.send(.pin("0000")) }
        guard case .pinBlocked = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(try await kiosk.read(reader: "").endorsementCount == 0)
        // The same card again: blocked before the holder is asked anything.
        await driver.remove()
        await driver.insert()
        guard case .pinBlocked = driver.state else { Issue.record("\(driver.state)"); return }
    }

    @Test func overdueBeyondTheLimitSendsTheHolderToTheCounter() async throws {
        // Zhejiang: due for cancellation from E + 61 = 2027-05-01.
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-05-01"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        #expect(driver.state.screen(in: .zh).name == "counter-overdue")
        guard case .counter(_, .cancellationDue(let since)) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(since == Fixture.day("2027-05-01"))
    }

    @Test(arguments: [
        (StatusChange.cancelled(.lossOfEligibility), "counter-cancelled"),
        (StatusChange.replaced(.lost), "counter-replaced"),
        (StatusChange.suspendedByOfficer, "counter-suspended"),
    ])
    func aCardAnOfficerChangedIsSentToTheCounter(change: StatusChange, screen: String) async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        _ = try await kiosk.permitCard(Fixture.issuing, on: Fixture.day("2026-06-01")).changeStatus(change)
        var driver = KioskDriver(kiosk)
        await driver.insert()
        #expect(driver.state.screen(in: .zh).name == screen)
        #expect(driver.state.screen(in: .en).lines.last == "Nothing was written to the card.")
    }

    @Test func anUnfinishedCardIsNotOneTheKioskWorksWith() async throws {
        let kiosk = try await ReferenceKiosk(issue: false, on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        #expect(driver.state == .wrongCard(.incomplete))
    }

    @Test func theCardPulledBeforeTheWriteLeavesNothingWritten() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        await driver.remove()
        #expect(driver.state == .cardPulled(.nothingWritten))
        #expect(!driver.state.showsPersonalData)
        await driver.insert()
        guard case .offer = driver.state else { Issue.record("\(driver.state)"); return }
    }

    /// The endorsement is 5 APDUs (CARD-SPEC §10.3); the card is pulled just after the 5th, APPEND RECORD:
    /// the card wrote it, the kiosk cannot know until the card comes back.
    @Test func theCardPulledAfterTheWriteIsFoundEndorsedWhenItComesBack() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        kiosk.reader.setFaultPlan(FaultPlan(removal: .afterAPDU(5)))
        var effect = driver.flow.handle(.confirm)
        guard case .endorse? = effect else { Issue.record("\(String(describing: effect))"); return }
        let result = await driver.run(effect!)
        effect = driver.flow.handle(.cardRemoved)
        #expect(effect == nil)
        effect = driver.flow.handle(result)
        guard case .cardPulled(.unknown) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(driver.state.screen(in: .zh).name == "card-pulled-during-write")
        await driver.insert()
        guard case .takeCard(_, let plan, .printed) = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(plan.newExpiry == Fixture.day("2028-03-01"))
        #expect(try await kiosk.read(reader: "").endorsementCount == 1)
    }

    @Test func theCardPulledDuringTheWriteBeforeItLandedIsOfferedAgain() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        kiosk.reader.setFaultPlan(FaultPlan(removal: .beforeAPDU(5)))
        let effect = driver.flow.handle(.confirm)!
        let result = await driver.run(effect)
        _ = driver.flow.handle(.cardRemoved)
        _ = driver.flow.handle(result)
        guard case .cardPulled(.unknown) = driver.state else { Issue.record("\(driver.state)"); return }
        await driver.insert()
        guard case .offer = driver.state else { Issue.record("\(driver.state)"); return }
        #expect(kiosk.printed.isEmpty)
    }

    @Test(arguments: [(PrinterProblem.outOfCards, "done-printer-out-of-cards"), (.jammed, "done-printer-jammed"), (.other, "done-printer-fault")])
    func aPrinterFailureSaysTheChipIsEndorsedAndWhereToHaveItPrinted(problem: PrinterProblem, screen: String) async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        kiosk.printOutcome = .failed(problem)
        var driver = KioskDriver(kiosk)
        await driver.insert()
        await driver.send(.confirm)
        let words = driver.state.screen(in: .zh)
        #expect(words.name == screen)
        #expect(words.lines.first?.contains("2028年3月1日") == true)
        #expect(try await kiosk.read(reader: "").endorsementCount == 1)
    }

    @Test func withoutAPrinterTheKioskSaysWhereTheFaceIsPrinted() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk, printsFace: false)
        await driver.insert()
        await driver.send(.confirm)
        #expect(driver.state.screen(in: .en).name == "done-no-printer")
        #expect(kiosk.printed.isEmpty)
    }

    @Test func cancelWritesNothingAndATimeoutLeavesNothingPersonalOnScreen() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        await driver.send(.cancel)
        #expect(driver.state == .cancelled)
        await driver.remove()
        #expect(driver.state == .idle)
        await driver.insert()
        await driver.send(.timeout)
        #expect(driver.state == .removeCard)
        await driver.remove()
        #expect(driver.state == .idle)
        kiosk.reader.insert()
        #expect(try await kiosk.read(reader: "").endorsementCount == 0)
    }

    @Test func theReaderGoneIsOutOfServiceUntilItComesBack() async throws {
        let kiosk = try await ReferenceKiosk(on: Fixture.day("2027-02-15"))
        var driver = KioskDriver(kiosk)
        await driver.insert()
        await driver.send(.readerLost)
        #expect(driver.state == .offline)
        await driver.send(.readerBack)
        #expect(driver.state == .idle)
    }
}
