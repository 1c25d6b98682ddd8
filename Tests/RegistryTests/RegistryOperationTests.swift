import ApplicationData
import Foundation
import GRDB
import Lifecycle
import Registry
import Testing

@Suite struct RegistryOperationTests {
    @Test func issueRecordsPermitCardHistoryAndAHolidayAwareDeadline() throws {
        let t = try TestRegistry()
        let permit = try t.issue(1, on: d("2025-09-26"))
        #expect(permit.status == .inForce)
        #expect(permit.nextOn == d("2026-08-26"))
        #expect(permit.nextStatus == .windowOpen)
        #expect(permit.expiryOn == d("2026-09-26"))
        let details = try t.registry.details(permit: permit.id!)
        #expect(details.cards.map(\.serial) == ["CARD-1"])
        #expect(details.statusChanges.map(\.reason) == ["issued"])
        #expect(details.statusChanges.first?.fromStatus == nil)
        #expect(details.statusChanges.first?.station == "test-station")
        // 15 State Council working days after Friday 2025-09-26: National Day is off, 9-28 and 10-11 are worked.
        #expect(details.application.deadlineOn == d("2025-10-23"))
        #expect(details.application.residenceRegisteredOn == d("2025-02-26"))
        #expect(try t.registry.permits(idNumber: TestRegistry.idNumber(1)).map(\.id) == [permit.id])
    }

    @Test func applicationBeforeSixMonthsOfRegisteredResidenceIsRefusedWithTheFirstPossibleDay() throws {
        let t = try TestRegistry()
        var early = TestRegistry.application(1, on: d("2025-08-31"))
        early.residenceRegisteredOn = d("2025-03-01")
        #expect(throws: RegistryError.notEligible("residence registered on 2025-03-01 reaches 6 months on 2025-09-01; apply on or after that day")) {
            try t.registry.accept(early, actor: "o")
        }
        early.acceptedOn = d("2025-09-01")
        #expect(try t.registry.accept(early, actor: "o").residenceRegisteredOn == d("2025-03-01"))
        var missing = TestRegistry.application(2, on: d("2025-09-01"))
        missing.residenceRegisteredOn = nil
        #expect(throws: RegistryError.invalid(field: "residence_registered_on", value: "",
                                              problem: "is needed: residence counts from the date of residence registration (居住登记)")) {
            try t.registry.accept(missing, actor: "o")
        }
    }

    /// The registry's calendar says what today is; an application, an issue, an event or a sweep dated after it is refused with
    /// the field and today's date, and nothing is written (issue 14: birth < residence registration ≤ acceptance ≤ today).
    @Test func nothingIsRecordedAfterTodayAndDatesAreInTheirOrder() throws {
        let today = d("2026-06-01")
        let t = try TestRegistry(calendar: StationCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!, clock: .test(day: today)))
        let tomorrow = today.adding(days: 1)
        #expect(throws: RegistryError.application(FieldProblem("accepted_on", "2026-06-02 is after today (2026-06-01); record it on or after the day it happens."))) {
            try t.registry.accept(TestRegistry.application(1, on: tomorrow), actor: "o")
        }
        var unborn = TestRegistry.application(2, on: today)
        unborn.idNumber = CitizenID(region: 330_102, birth: d("2027-01-01"), sequence: 1).text
        #expect(throws: RegistryError.application(FieldProblem("id_number (birth date)", "2027-01-01 is after today (2026-06-01); check the year."))) {
            try t.registry.accept(unborn, actor: "o")
        }
        var registeredBeforeBirth = TestRegistry.application(3, on: today)
        registeredBeforeBirth.residenceRegisteredOn = d("1970-01-01")
        #expect(throws: RegistryError.application(FieldProblem("residence_registered_on", "1970-01-01 is not after the holder's birth (1979-12-30, from the ID number); check the date."))) {
            try t.registry.accept(registeredBeforeBirth, actor: "o")
        }
        var registeredAfterApplying = TestRegistry.application(4, on: today)
        registeredAfterApplying.residenceRegisteredOn = tomorrow
        registeredAfterApplying.talentException = true
        #expect(throws: RegistryError.application(FieldProblem("residence_registered_on", "2026-06-02 is after the application (2026-06-01); give the day the holder registered at the address."))) {
            try t.registry.accept(registeredAfterApplying, actor: "o")
        }
        let application = try t.registry.accept(TestRegistry.application(5, on: d("2025-06-01")), actor: "o")
        #expect(throws: RegistryError.application(FieldProblem("issued_on", "2026-06-02 is after today (2026-06-01); record it on or after the day it happens."))) {
            try t.registry.issue(application: application.id!, on: tomorrow, cardSerial: "CARD-5", actor: "o")
        }
        let permit = try t.registry.issue(application: application.id!, on: d("2025-06-01"), cardSerial: "CARD-5", actor: "o")
        let before = try RegistrySnapshot(t.path)
        #expect(throws: RegistryError.application(FieldProblem("date", "2026-06-02 is after today (2026-06-01); record it on or after the day it happens."))) {
            try t.registry.endorse(permit: permit.id!, on: tomorrow, actor: "kiosk")
        }
        #expect(throws: RegistryError.application(FieldProblem("reported_on", "2026-06-02 is after today (2026-06-01); record it on or after the day it happens."))) {
            try t.registry.changeAddress(permit: permit.id!, movedOn: today, reportedOn: tomorrow, to: "Room 9", actor: "o")
        }
        // The window opened on 2026-05-01 and the permit expires today: a sweep of tomorrow would suspend it before the day has come.
        #expect(throws: RegistryError.application(FieldProblem("through", "2026-06-02 is after today (2026-06-01); record it on or after the day it happens."))) {
            try t.registry.sweep(through: tomorrow)
        }
        #expect(try RegistrySnapshot(t.path) == before)
        #expect(try t.registry.sweep(through: today).windowsOpened == 1)
        #expect(try t.registry.endorse(permit: permit.id!, on: today, actor: "kiosk") == .timely)
    }

    @Test func talentExceptionIsAGroundInZhejiangOnlyAndIsRecorded() throws {
        let t = try TestRegistry()
        var talent = TestRegistry.application(1, on: d("2025-09-01"))
        talent.residenceRegisteredOn = d("2025-08-01")
        talent.talentException = true
        #expect(try t.registry.accept(talent, actor: "o").talentException)
        var elsewhere = TestRegistry.application(2, profile: "inner-mongolia", on: d("2025-09-01"))
        elsewhere.talentException = true
        #expect(throws: RegistryError.notEligible("the inner-mongolia rules have no talent exception; the holder needs 6 months of registered residence")) {
            try t.registry.accept(elsewhere, actor: "o")
        }
    }

    @Test func deadlineBeyondTheHolidayCalendarIsRefusedWithTheFileToUpdate() throws {
        let t = try TestRegistry()
        let error = try #require(throws: RegistryError.self) { try t.registry.accept(TestRegistry.application(1, on: d("2026-12-20")), actor: "o") }
        #expect(error == .rules(.outsideWorkingDayCalendar(date: d("2027-01-01"), calendar: "cn-state-council", years: 2016...2026)))
        #expect(try t.registry.lateApplications(on: d("2027-06-01")).isEmpty)   // nothing half-written
        // Inner Mongolia's 30 calendar days need no holiday calendar.
        #expect(try t.registry.accept(TestRegistry.application(2, profile: "inner-mongolia", on: d("2026-12-20")), actor: "o").deadlineOn == d("2027-01-19"))
    }

    @Test func endorsementsFollowTheRulesAndAreRecorded() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        #expect(throws: RegistryError.refused(permit: id, .endorsementRefused(on: d("2026-02-14"), .windowNotOpen(opens: d("2026-02-15"))))) {
            try t.registry.endorse(permit: id, on: d("2026-02-14"), actor: "kiosk-3")
        }
        #expect(try t.registry.endorse(permit: id, on: d("2026-02-15"), actor: "kiosk-3") == .timely)
        let permit = try #require(try t.registry.permit(id: id))
        #expect(permit.status == .inForce)
        #expect(permit.expiryOn == d("2027-03-15"))
        #expect(permit.nextOn == d("2027-02-15"))
        let details = try t.registry.details(permit: id)
        // Catch-up (window opened that day) and the endorsement: two status changes, in order.
        #expect(details.statusChanges.map(\.toStatus) == [.inForce, .windowOpen, .inForce])
        #expect(details.endorsements.map(\.class) == [.timely])
        #expect(details.endorsements.first?.actor == "kiosk-3")
        #expect(details.fees.isEmpty)   // endorsements are free
    }

    @Test func lateEndorsementInZhejiangKeepsTheIssueAnniversaryAndRestartsResidence() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        #expect(try t.registry.endorse(permit: id, on: d("2026-04-01"), actor: "kiosk") == .lateReset)
        let permit = try #require(try t.registry.permit(id: id))
        #expect(permit.residenceSinceOn == d("2026-04-01"))
        #expect(permit.cycleStartOn == d("2025-03-15"))
        #expect(permit.expiryOn == d("2027-03-15"))
        #expect(permit.nextOn == d("2027-02-15"))
        #expect(try t.registry.details(permit: id).endorsements.map(\.anchorAfter) == [d("2026-04-01")])
    }

    @Test func sweepMakesAZhejiangPermitDueAndOnlyAnOfficerCancelsItWithWhoDecided() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        #expect(try t.registry.sweep(through: d("2026-05-14")).cancellationsDue == 0)
        #expect(throws: RegistryError.refused(permit: id, .overdueCancellationNotDue(on: d("2026-05-14"), dueFrom: d("2026-05-15")))) {
            try t.registry.cancel(permit: id, on: d("2026-05-14"), reason: .overdue, decidedBy: "chief", actor: "o")
        }
        let summary = try t.registry.sweep(through: d("2026-06-30"))
        #expect(summary.cancellationsDue == 1)
        #expect(try t.registry.permit(id: id)?.status == .cancellationDue)
        #expect(try t.registry.permit(id: id)?.statusOn == d("2026-05-15"))
        #expect(try t.registry.dueForDetermination().first.map(\.permit.id) == [id])
        #expect(throws: RegistryError.refused(permit: id, .endorsementRefused(on: d("2026-07-01"), .cancellationDue(since: d("2026-05-15"))))) {
            try t.registry.endorse(permit: id, on: d("2026-07-01"), actor: "kiosk")
        }
        try t.registry.cancel(permit: id, on: d("2026-07-02"), reason: .overdue, decidedBy: "Shengsi PSB, officer Wang", note: "no reply", actor: "clerk-2")
        let details = try t.registry.details(permit: id)
        #expect(details.permit.status == .cancelled)
        #expect(details.statusChanges.map(\.reason).suffix(2) == ["overdue", "officerCancellation:overdue"])
        #expect(details.cancellation?.decidedBy == "Shengsi PSB, officer Wang")
        #expect(details.cancellation?.actor == "clerk-2")
        #expect(details.cancellation?.effectiveOn == d("2026-07-02"))
        #expect(try t.registry.dueForDetermination().count == 0)
    }

    @Test func cancelledPermitRefusesEverythingAndTheHolderMayApplyAgain() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        try t.registry.cancel(permit: id, on: d("2025-09-01"), reason: .falseDocuments, decidedBy: "officer-2", actor: "officer-2")
        #expect(try t.registry.permit(id: id)?.status == .cancelled)
        #expect(try t.registry.permit(id: id)?.nextOn == nil)
        #expect(throws: RegistryError.refused(permit: id, .endorsementRefused(on: d("2026-02-20"), .cancelled(since: d("2025-09-01"), reason: .falseDocuments)))) {
            try t.registry.endorse(permit: id, on: d("2026-02-20"), actor: "kiosk")
        }
        #expect(throws: RegistryError.refused(permit: id, .cancellationRefused(on: d("2025-09-02"), reason: "the permit is already cancelled since 2025-09-01 (falseDocuments)"))) {
            try t.registry.cancel(permit: id, on: d("2025-09-02"), reason: .localHukou, decidedBy: "o", actor: "o")
        }
        #expect(throws: RegistryError.permitCancelled(id)) {
            try t.registry.changeAddress(permit: id, movedOn: d("2025-09-02"), reportedOn: d("2025-09-03"), to: "x", actor: "o")
        }
        let again = try t.registry.accept(TestRegistry.application(1, on: d("2025-10-01")), actor: "o")
        #expect(try t.registry.issue(application: again.id!, on: d("2025-10-02"), cardSerial: "CARD-1B", actor: "o").status == .inForce)
    }

    @Test func refusalForLostEligibilityIsRecordedAndChangesNothingElse() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        let before = try #require(try t.registry.permit(id: id))
        let refusal = try t.registry.refuseEndorsement(permit: id, on: d("2026-02-20"), lostGrounds: .job, reason: "labour contract ended 2026-01-31",
                                                       decidedBy: "officer-4", actor: "officer-4")
        #expect(refusal.lostGrounds == .job)
        let after = try #require(try t.registry.permit(id: id))
        #expect(after.status == .windowOpen)   // the calendar caught up; no cancellation, no endorsement
        #expect(after.expiryOn == before.expiryOn)
        #expect(after.cancelledOn == nil)
        let details = try t.registry.details(permit: id)
        #expect(details.refusals.map(\.decidedBy) == ["officer-4"])
        #expect(details.endorsements.isEmpty)
    }

    @Test func oneNonCancelledPermitPerHolderAndUniqueSerials() throws {
        let t = try TestRegistry()
        try t.issue(1, on: d("2025-03-15"))
        let second = try t.registry.accept(TestRegistry.application(1, on: d("2025-04-01")), actor: "o")
        #expect(throws: RegistryError.self) { try t.registry.issue(application: second.id!, on: d("2025-04-02"), cardSerial: "NEW-1", actor: "o") }
        #expect(throws: RegistryError.serialInUse("CARD-1")) { try t.issue(2, on: d("2025-03-15"), serial: "CARD-1") }
        var other = TestRegistry.application(1, on: d("2025-04-01"))
        other.name = "Someone Else"
        #expect(throws: RegistryError.idNumberNameMismatch(idNumber: TestRegistry.idNumber(1), registeredName: "Holder 1")) {
            try t.registry.accept(other, actor: "o")
        }
    }

    @Test func addressAndWorkplaceChangesCarryTheirDeadlinesAndAreLateAfterThem() throws {
        let t = try TestRegistry()
        let zj = try t.issue(1, on: d("2025-03-15")).id!
        let im = try t.issue(2, profile: "inner-mongolia", on: d("2025-03-15")).id!
        let onTime = try t.registry.changeAddress(permit: zj, movedOn: d("2025-05-01"), reportedOn: d("2025-05-11"), to: "B", actor: "o")
        #expect(onTime.late == false)
        #expect(onTime.deadlineOn == d("2025-05-11"))   // 10 days from the change, the day of the change not counted
        #expect(try t.registry.changeAddress(permit: zj, movedOn: d("2025-06-01"), reportedOn: d("2025-06-12"), to: "C", actor: "o").late == true)
        let work = try t.registry.changeAddress(permit: zj, kind: .workplace, movedOn: d("2025-07-01"), reportedOn: d("2025-07-12"),
                                                to: "Factory 3", actor: "o")
        #expect(work.late && work.deadlineOn == d("2025-07-11"))
        #expect(try t.registry.changeAddress(permit: im, movedOn: d("2025-05-01"), reportedOn: d("2025-05-31"), to: "B",
                                             documents: "ID card; lease of the new home", actor: "o").late == false)
        #expect(try t.registry.changeAddress(permit: im, movedOn: d("2025-05-01"), reportedOn: d("2025-06-01"), to: "C", actor: "o").late == true)
        let imWork = try t.registry.changeAddress(permit: im, kind: .workplace, movedOn: d("2025-01-01"), reportedOn: d("2025-07-01"), to: "Mine 2", actor: "o")
        #expect(imWork.deadlineOn == nil && !imWork.late)   // Inner Mongolia sets no workplace deadline
        let details = try t.registry.details(permit: zj)
        #expect(details.permit.address == "C")
        #expect(details.permit.workplace == "Factory 3")
        #expect(details.addressChanges.map(\.oldAddress) == ["Room 1, 1 Test Road", "B", ""])
        #expect(try t.registry.details(permit: im).addressChanges.first?.documents == "ID card; lease of the new home")
    }

    @Test func replacementOnTheSpotRecordsItsFeeAndTheOldCardStopsBeingCurrent() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        let card = try t.registry.replaceCard(permit: id, newSerial: "CARD-1R", on: d("2025-07-01"), cause: .lost, actor: "o")
        #expect(card.serial == "CARD-1R")
        #expect(try t.registry.lookup(serial: "CARD-1")?.isCurrentCard == false)
        #expect(try t.registry.lookup(serial: "CARD-1R")?.isCurrentCard == true)
        #expect(try t.registry.lookup(serial: "NOPE") == nil)
        let fees = try t.registry.details(permit: id).fees
        #expect(fees.map(\.fee.act) == [.replacement])
        #expect(fees.first?.payment == nil)
        let paid = try t.registry.payFee(fees[0].fee.id!, on: d("2025-07-01"), amountFen: 2000, receipt: "R-0001", actor: "cashier")
        #expect(try t.registry.details(permit: id).fees.first?.payment == paid)
        #expect(throws: RegistryError.feeAlreadyPaid(fees[0].fee.id!)) {
            try t.registry.payFee(fees[0].fee.id!, on: d("2025-07-02"), amountFen: 2000, receipt: "R-0002", actor: "cashier")
        }
    }

    @Test func centralReplacementApplicationRunsLateUntilTheCardIsIssued() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, profile: "inner-mongolia", on: d("2025-03-15")).id!
        let request = try t.registry.acceptReplacement(permit: id, on: d("2025-07-01"), cause: .damaged, documents: "damaged card", actor: "counter")
        #expect(request.kind == .renewal)
        #expect(request.deadlineOn == d("2025-07-31"))
        #expect(try t.registry.lateApplications(on: d("2025-07-31")).isEmpty)
        #expect(try t.registry.lateApplications(on: d("2025-08-01")).map(\.id) == [request.id])
        _ = try t.registry.replaceCard(permit: id, newSerial: "IM-1R", on: d("2025-08-03"), cause: .damaged, application: request.id, actor: "central")
        #expect(try t.registry.lateApplications(on: d("2025-08-04")).isEmpty)
        let details = try t.registry.details(permit: id)
        #expect(details.fees.map(\.fee.act) == [.renewal])   // charged once, at acceptance
        #expect(details.cardReplacements.map(\.applicationId) == [request.id])
    }

    @Test func pointsAreValidForTheApplicationYearAndNoneInInnerMongolia() throws {
        let t = try TestRegistry()
        let zj = try t.issue(1, on: d("2025-03-15")).id!
        try t.registry.grantPoints(permit: zj, on: d("2025-04-01"), actor: "points-office")
        let permit = try #require(try t.registry.permit(id: zj))
        #expect(permit.pointsValidUntil == d("2025-12-31"))
        #expect(permit.pointsValid(on: d("2025-12-31")))
        #expect(!permit.pointsValid(on: d("2026-01-01")))
        let im = try t.issue(2, profile: "inner-mongolia", on: d("2025-03-15")).id!
        #expect(throws: RegistryError.noPoints(profile: "inner-mongolia")) { try t.registry.grantPoints(permit: im, on: d("2025-04-01"), actor: "o") }
    }

    @Test func temporaryPermitYearsCountTowardsResidenceYearsInInnerMongoliaOnly() throws {
        let t = try TestRegistry()
        let im = try t.issue(1, profile: "inner-mongolia", on: d("2025-03-15")).id!
        let zj = try t.issue(2, on: d("2025-03-15")).id!
        for n in [1, 2] {
            try t.registry.recordTemporaryPermit(idNumber: TestRegistry.idNumber(n), name: "Holder \(n)", from: d("2020-01-01"), to: d("2022-12-31"),
                                                 issuedBy: "Baotou PSB", actor: "o")
        }
        let on = d("2026-03-15")
        let imYears = try t.registry.details(permit: im).residenceYears(on: on, policy: TestRegistry.policies["inner-mongolia"]!)
        let zjYears = try t.registry.details(permit: zj).residenceYears(on: on, policy: TestRegistry.policies["zhejiang"]!)
        #expect((imYears - zjYears - 3).magnitude < 0.01)   // three years of 暂住证 (1 096 days)
        #expect((zjYears - 1).magnitude < 0.01)
    }

    @Test func backdatedEventsAreRefused() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        try t.registry.sweep(through: d("2026-03-20"))
        #expect(throws: RegistryError.backdated(permit: id, date: d("2026-03-01"), latest: d("2026-03-16"))) {
            try t.registry.endorse(permit: id, on: d("2026-03-01"), actor: "o")
        }
        #expect(try t.registry.endorse(permit: id, on: d("2026-03-20"), actor: "o") == .lateReset)
    }

    @Test func historyTablesAreAppendOnly() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        try t.registry.cancel(permit: id, on: d("2025-04-01"), reason: .localHukou, decidedBy: "o", actor: "officer-1")
        let db = try DatabaseQueue(path: t.path)
        for table in ["status_changes", "applications", "cancellations"] {
            #expect(throws: DatabaseError.self) { try db.write { try $0.execute(sql: "UPDATE \(table) SET actor = 'forger'") } }
            #expect(throws: DatabaseError.self) { try db.write { try $0.execute(sql: "DELETE FROM \(table)") } }
        }
        #expect(try db.read { try String.fetchAll($0, sql: "SELECT actor FROM status_changes") } == ["officer-1", "officer-1"])
    }

    /// Issue 14 finding 4 on the registry's side: the same text rules as the card's.
    @Test(arguments: [
        ("张\u{202E}伟", "1 Road", "name", "U+202E (right-to-left override)"), ("张伟", "1 Road\u{0}", "address", "U+0000"),
        (String(repeating: "张", count: 21), "1 Road", "name", "the card holds at most 60"),
    ])
    func textIsCheckedAsForTheCard(_ name: String, _ address: String, _ field: String, _ problem: String) throws {
        let t = try TestRegistry()
        #expect {
            try t.registry.accept(NewApplication(idNumber: TestRegistry.idNumber(1), name: name, profile: "zhejiang", acceptedOn: d("2025-01-01"),
                                                 grounds: .job, documents: "d", address: address, residenceRegisteredOn: d("2024-06-01")), actor: "o")
        } throws: { error in
            guard case RegistryError.application(let found) = error else { return false }
            return found.field == field && found.problem.contains(problem)
        }
    }

    @Test(arguments: [("a", "id_number"), ("110101199003070000", "id_number")])
    func invalidFieldsAreNamed(_ idNumber: String, _ field: String) throws {
        let t = try TestRegistry()
        var application = TestRegistry.application(1, on: d("2025-01-01"))
        application.idNumber = idNumber
        #expect {
            try t.registry.accept(application, actor: "o")
        } throws: { error in
            guard case RegistryError.application(let problem) = error else { return false }
            return problem.field == field
        }
    }

    @Test func lateApplicationsAreListed() throws {
        let t = try TestRegistry()
        _ = try t.registry.accept(TestRegistry.application(5, profile: "inner-mongolia", on: d("2025-03-01"), grounds: .study), actor: "o")
        #expect(try t.registry.lateApplications(on: d("2025-03-31")).isEmpty)   // deadline 2025-03-31 inclusive
        #expect(try t.registry.lateApplications(on: d("2025-04-01")).map(\.deadlineOn) == [d("2025-03-31")])
    }
}
