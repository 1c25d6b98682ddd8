import ApplicationData
import Foundation
import GRDB
import Lifecycle
import Registry
import Testing

@Suite struct RegistryOperationTests {
    @Test func issueRecordsPermitCardAndHistory() throws {
        let t = try TestRegistry()
        let permit = try t.issue(1, on: d("2025-03-15"))
        #expect(permit.status == .inForce)
        #expect(permit.nextOn == d("2026-02-15"))
        #expect(permit.nextStatus == .windowOpen)
        let details = try t.registry.details(permit: permit.id!)
        #expect(details.cards.map(\.serial) == ["CARD-1"])
        #expect(details.statusChanges.map(\.reason) == ["issued"])
        #expect(details.statusChanges.first?.fromStatus == nil)
        #expect(details.statusChanges.first?.station == "test-station")
        #expect(details.application.deadlineOn == d("2025-04-04"))   // 15 working days (Mon-Fri) after Sat 2025-03-15
        #expect(try t.registry.permits(idNumber: TestRegistry.idNumber(1)).map(\.id) == [permit.id])
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
        #expect(permit.state.expiry(TestRegistry.policies["zhejiang"]!) == d("2027-03-15"))
        #expect(permit.nextOn == d("2027-02-15"))
        let details = try t.registry.details(permit: id)
        // Catch-up (window opened that day) and the endorsement: two status changes, in order.
        #expect(details.statusChanges.map(\.toStatus) == [.inForce, .windowOpen, .inForce])
        #expect(details.endorsements.map(\.class) == [.timely])
        #expect(details.endorsements.first?.actor == "kiosk-3")
    }

    @Test func cancelledPermitRefusesEverything() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        try t.registry.cancel(permit: id, on: d("2025-09-01"), reason: .falseDocuments, actor: "officer-2")
        #expect(try t.registry.permit(id: id)?.status == .cancelled)
        #expect(try t.registry.permit(id: id)?.nextOn == nil)
        #expect(throws: RegistryError.self) { try t.registry.endorse(permit: id, on: d("2026-02-20"), actor: "kiosk") }
        #expect(throws: RegistryError.self) { try t.registry.cancel(permit: id, on: d("2025-09-02"), reason: .localHukou, actor: "o") }
        #expect(throws: RegistryError.permitCancelled(id)) {
            try t.registry.changeAddress(permit: id, movedOn: d("2025-09-02"), reportedOn: d("2025-09-03"), to: "x", actor: "o")
        }
        let other = try t.issue(2, on: d("2025-03-15")).id!
        #expect(throws: RegistryError.refused(permit: other, .reasonNotForOfficers(.overdue))) {
            try t.registry.cancel(permit: other, on: d("2025-09-02"), reason: .overdue, actor: "o")
        }
        // The holder may apply again: a new permit for the same person.
        let again = try t.registry.accept(NewApplication(idNumber: TestRegistry.idNumber(1), name: "Holder 1", profile: "zhejiang",
                                                         acceptedOn: d("2025-10-01"), grounds: .home, documents: "deed", address: "2 New Road"), actor: "o")
        #expect(try t.registry.issue(application: again.id!, on: d("2025-10-02"), cardSerial: "CARD-1B", actor: "o").status == .inForce)
    }

    @Test func oneNonCancelledPermitPerHolderAndUniqueSerials() throws {
        let t = try TestRegistry()
        try t.issue(1, on: d("2025-03-15"))
        let second = try t.registry.accept(NewApplication(idNumber: TestRegistry.idNumber(1), name: "Holder 1", profile: "zhejiang",
                                                          acceptedOn: d("2025-04-01"), grounds: .job, documents: "c", address: "a"), actor: "o")
        #expect(throws: RegistryError.self) { try t.registry.issue(application: second.id!, on: d("2025-04-02"), cardSerial: "NEW-1", actor: "o") }
        #expect(throws: RegistryError.serialInUse("CARD-1")) { try t.issue(2, on: d("2025-03-15"), serial: "CARD-1") }
        #expect(throws: RegistryError.idNumberNameMismatch(idNumber: TestRegistry.idNumber(1), registeredName: "Holder 1")) {
            try t.registry.accept(NewApplication(idNumber: TestRegistry.idNumber(1), name: "Someone Else", profile: "zhejiang",
                                                 acceptedOn: d("2025-04-01"), grounds: .job, documents: "c", address: "a"), actor: "o")
        }
    }

    @Test func addressChangeIsLateAfterTheRegionsDeadline() throws {
        let t = try TestRegistry()
        let zj = try t.issue(1, on: d("2025-03-15")).id!
        let im = try t.issue(2, profile: "inner-mongolia", on: d("2025-03-15")).id!
        #expect(try t.registry.changeAddress(permit: zj, movedOn: d("2025-05-01"), reportedOn: d("2025-05-11"), to: "B", actor: "o").late == false)
        #expect(try t.registry.changeAddress(permit: zj, movedOn: d("2025-06-01"), reportedOn: d("2025-06-12"), to: "C", actor: "o").late == true)
        #expect(try t.registry.changeAddress(permit: im, movedOn: d("2025-05-01"), reportedOn: d("2025-05-31"), to: "B", actor: "o").late == false)
        #expect(try t.registry.changeAddress(permit: im, movedOn: d("2025-05-01"), reportedOn: d("2025-06-01"), to: "C", actor: "o").late == true)
        let details = try t.registry.details(permit: zj)
        #expect(details.permit.address == "C")
        #expect(details.addressChanges.map(\.oldAddress) == ["Room 1, 1 Test Road", "B"])
    }

    @Test func replacedCardNoLongerCurrent() throws {
        let t = try TestRegistry()
        let id = try t.issue(1, on: d("2025-03-15")).id!
        let card = try t.registry.replaceCard(permit: id, newSerial: "CARD-1R", on: d("2025-07-01"), cause: .lost, actor: "o")
        #expect(card.serial == "CARD-1R")
        #expect(try t.registry.lookup(serial: "CARD-1")?.isCurrentCard == false)
        #expect(try t.registry.lookup(serial: "CARD-1R")?.isCurrentCard == true)
        #expect(try t.registry.lookup(serial: "NOPE") == nil)
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
        try t.issue(1, on: d("2025-03-15"))
        let db = try DatabaseQueue(path: t.path)
        for table in ["status_changes", "applications"] {
            #expect(throws: DatabaseError.self) { try db.write { try $0.execute(sql: "UPDATE \(table) SET actor = 'forger'") } }
            #expect(throws: DatabaseError.self) { try db.write { try $0.execute(sql: "DELETE FROM \(table)") } }
        }
        #expect(try db.read { try String.fetchOne($0, sql: "SELECT actor FROM status_changes") } == "officer-1")
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
                                                 grounds: .job, documents: "d", address: address), actor: "o")
        } throws: { error in
            guard case RegistryError.application(let found) = error else { return false }
            return found.field == field && found.problem.contains(problem)
        }
    }

    @Test(arguments: [("a", "id_number"), ("110101199003070000", "id_number")])
    func invalidFieldsAreNamed(_ idNumber: String, _ field: String) throws {
        let t = try TestRegistry()
        #expect {
            try t.registry.accept(NewApplication(idNumber: idNumber, name: "N", profile: "zhejiang", acceptedOn: d("2025-01-01"),
                                                 grounds: .job, documents: "d", address: "a"), actor: "o")
        } throws: { error in
            guard case RegistryError.application(let problem) = error else { return false }
            return problem.field == field
        }
    }

    @Test func lateApplicationsAreListed() throws {
        let t = try TestRegistry()
        _ = try t.registry.accept(NewApplication(idNumber: TestRegistry.idNumber(5), name: "Waiting", profile: "inner-mongolia",
                                                 acceptedOn: d("2025-03-01"), grounds: .study, documents: "school letter", address: "a"), actor: "o")
        #expect(try t.registry.lateApplications(on: d("2025-03-31")).isEmpty)   // deadline 2025-03-31 inclusive
        #expect(try t.registry.lateApplications(on: d("2025-04-01")).map(\.deadlineOn) == [d("2025-03-31")])
    }
}
