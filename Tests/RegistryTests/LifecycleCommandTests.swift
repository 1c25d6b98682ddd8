import Foundation
import Testing
import TestPrograms

/// `permit lifecycle`, run as a program.
@Suite struct LifecycleCommandTests {
    func json(_ args: [String]) async throws -> [String: Any] {
        let result = try await permit(["lifecycle", "--json"] + args)
        #expect(result.status == 0, "\(result.errors)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    @Test func jsonHasExactlyTheListedKeys() async throws {
        let object = try await json(["--profile", "zhejiang", "--issued", "2025-03-15", "--endorsed", "2026-03-01",
                               "--endorsed", "2026-02-20", "--on", "2026-03-01"])
        #expect(Set(object.keys) == ["status", "expiry", "residenceSince", "windowOpens", "windowCloses", "nextTransition", "endorsements"])
        #expect(object["status"] as? String == "inForce")
        #expect(object["expiry"] as? String == "2027-03-15")
        #expect(object["residenceSince"] as? String == "2025-03-15")
        #expect(object["windowOpens"] as? String == "2027-02-15")
        #expect(object["windowCloses"] as? String == "2027-03-15")
        let next = try #require(object["nextTransition"] as? [String: Any])
        #expect(next["on"] as? String == "2027-02-15")
        #expect(next["to"] as? String == "windowOpen")
        let endorsements = try #require(object["endorsements"] as? [[String: Any]])
        #expect(endorsements.map { $0["on"] as? String } == ["2026-02-20", "2026-03-01"])   // date order
        #expect(endorsements.map { $0["class"] as? String } == ["timely", "refused"])
        #expect(endorsements[0]["reason"] is NSNull)
        #expect(endorsements[1]["reason"] as? String == "windowNotOpen:2027-02-15")
        #expect(endorsements.allSatisfy { Set($0.keys) == ["on", "class", "reason"] })
    }

    @Test func nextTransitionIsNullWhenNoneIsScheduled() async throws {
        let object = try await json(["--profile", "inner-mongolia", "--issued", "2025-03-15", "--on", "2026-04-01"])
        #expect(object["status"] as? String == "suspended")
        #expect(object["nextTransition"] is NSNull)
        #expect(object["windowOpens"] as? String == "2026-02-13")
        let due = try await json(["--profile", "zhejiang", "--issued", "2025-03-15", "--on", "2026-05-15"])
        #expect(due["status"] as? String == "cancellationDue")
        #expect(due["nextTransition"] is NSNull)
    }

    @Test func overdueCancellationIsAcceptedFromTheDueDayOnly() async throws {
        let cancelled = try await json(["--profile", "zhejiang", "--issued", "2025-03-15", "--cancelled", "2026-05-15:overdue", "--on", "2026-05-15"])
        #expect(cancelled["status"] as? String == "cancelled")
        let early = try await permit(["lifecycle", "--profile", "zhejiang", "--issued", "2025-03-15", "--cancelled", "2026-05-14:overdue", "--on", "2026-05-14"])
        #expect(early.status == 1)
        #expect(early.errors.contains("is due for cancellation only from 2026-05-15"), "\(early.errors)")
        let endorsedWhileDue = try await json(["--profile", "zhejiang", "--issued", "2025-03-15", "--endorsed", "2026-05-15", "--on", "2026-05-15"])
        #expect((endorsedWhileDue["endorsements"] as? [[String: Any]])?.first?["reason"] as? String == "cancellationDue:2026-05-15")
    }

    @Test func officerCancellationAndLateEndorsementClasses() async throws {
        let im = try await json(["--profile", "inner-mongolia", "--issued", "2024-02-29", "--endorsed", "2025-03-31",
                           "--endorsed", "2026-05-01", "--on", "2026-05-01"])
        let classes = (im["endorsements"] as? [[String: Any]])?.map { $0["class"] as? String }
        #expect(classes == ["lateContinuous", "lateReset"])   // E + 31 continuous; 2026-05-01 is E + 62
        #expect(im["residenceSince"] as? String == "2026-05-01")
        #expect(im["expiry"] as? String == "2027-05-01")
        let zj = try await json(["--profile", "zhejiang", "--issued", "2025-03-15", "--cancelled", "2025-09-01:falseDocuments",
                           "--endorsed", "2026-02-20", "--on", "2026-02-20"])
        #expect(zj["status"] as? String == "cancelled")
        #expect((zj["endorsements"] as? [[String: Any]])?.first?["reason"] as? String == "cancelled:falseDocuments")
    }

    @Test func sentencesForOfficers() async throws {
        let result = try await permit(["lifecycle", "--profile", "zhejiang", "--issued", "2025-03-15", "--on", "2026-03-16"])
        #expect(result.status == 0)
        #expect(result.output.contains("SUSPENDED"))
        #expect(result.output.contains("from 2026-05-15 it is due for cancellation"))
        #expect(result.output.contains("on 2026-05-15 it becomes due for cancellation (not in force; an officer decides)"))
    }

    @Test(arguments: [
        (["--issued", "2025-02-29"], "The value '2025-02-29' is invalid for '--issued <YYYY-MM-DD>'"),
        (["--cancelled", "2025-09-01:expired"], "--cancelled: \"expired\" is not a cancellation reason"),
        (["--cancelled", "2025-09-01"], "must be DATE:REASON"),
        (["--profile", "atlantis"], "No card profile named \"atlantis\""),
        (["--on", "2025-01-01"], "before the permit was issued"),
    ])
    func badInputIsNamed(_ override: [String], _ message: String) async throws {
        var args = ["lifecycle", "--profile", "zhejiang", "--issued", "2025-03-15", "--on", "2026-01-01"]
        for pair in stride(from: 0, to: override.count, by: 2) {
            if let i = args.firstIndex(of: override[pair]) { args[i + 1] = override[pair + 1] } else { args += [override[pair], override[pair + 1]] }
        }
        let result = try await permit(args)
        #expect(result.status != 0)
        #expect(result.errors.contains(message), "\(result.errors)")
    }
}
