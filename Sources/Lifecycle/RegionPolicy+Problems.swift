extension RegionPolicy {
    /// One rule of the policy format broken: where (a JSON path under `policy`) and what.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let path: String
        public let problem: String
        public var description: String { "\(path): \(problem)" }
    }

    /// Everything wrong with this policy, empty when the rules can run on it. A profile loader reports these.
    ///
    /// Beyond simple ranges, the rules need every late endorsement to land before the next window opens
    /// (otherwise a late endorsement could fall inside the next window and the whitelist would break), and a
    /// permit due for cancellation only after its continuity grace has ended.
    public var problems: [Problem] {
        var found: [Problem] = []
        func add(_ path: String, _ text: String) { found.append(Problem(path: "policy." + path, problem: text)) }
        if validityMonths < 1 { add("validityMonths", "must be at least 1 (got \(validityMonths))") }
        if endorsementWindow.count < 1 { add("endorsementWindow.count", "must be at least 1 (got \(endorsementWindow.count))") }
        if endorsementWindow.unit == .workingDays { add("endorsementWindow.unit", "must be days or months") }
        if let grace = continuityGrace {
            if grace.count < 0 { add("continuityGrace.count", "must not be negative (got \(grace.count))") }
            if grace.unit == .workingDays { add("continuityGrace.unit", "must be days or months") }
        }
        if let days = cancellationDueAfterOverdueDays, days < 0 {
            add("cancellationDueAfterOverdueDays", "must not be negative (got \(days)); write null for no overdue cancellation")
        }
        for (name, period) in [("addressChangeDeadline", addressChangeDeadline), ("issuanceDeadline", issuanceDeadline)]
            + (workplaceChangeDeadline.map { [("workplaceChangeDeadline", $0)] } ?? []) where period.count < 0 {
            add(name + ".count", "must not be negative")
        }
        if eligibility.minimumResidenceMonths < 0 { add("eligibility.minimumResidenceMonths", "must not be negative") }
        if !TimeZoneName.isPlausible(timeZone) { add("timeZone", "\"\(timeZone)\" is not an IANA time zone name such as Asia/Shanghai") }
        if !TimeZoneName.isPlausibleFileName(holidayCalendar) {
            add("holidayCalendar", "\"\(holidayCalendar)\" is not a calendar name (letters, digits, '-' and '_'), such as cn-state-council")
        }
        guard validityMonths >= 1, endorsementWindow.count >= 1 else { return found }
        // Days from expiry to the last day a late endorsement is accepted without an officer, at most.
        let windowDays = endorsementWindow.unit == .months ? endorsementWindow.count * 31 : endorsementWindow.count
        let graceDays = continuityGrace.map { 1 + ($0.unit == .months ? $0.count * 31 : $0.count) } ?? 0
        let shortestValidity = validityMonths * 28
        switch validityAfterLateReset {
        case .issueAnniversaries:
            guard let limit = cancellationDueAfterOverdueDays else {
                add("cancellationDueAfterOverdueDays", "is needed when validityAfterLateReset is issueAnniversaries: a late endorsement must land before the next anniversary's window opens")
                break
            }
            if windowDays + limit >= shortestValidity {
                add("cancellationDueAfterOverdueDays", "plus the endorsement window must be shorter than validityMonths, so that a late endorsement lands before the next window opens")
            }
        case .fromRestoration:
            if windowDays + graceDays >= shortestValidity {
                add("endorsementWindow", "the window plus the continuity grace must be shorter than validityMonths")
            }
        }
        if let limit = cancellationDueAfterOverdueDays, limit < graceDays {
            add("cancellationDueAfterOverdueDays", "a permit would be due for cancellation (after \(limit) days overdue) before its continuity grace ends (day \(graceDays) after expiry); make it at least \(graceDays)")
        }
        return found
    }
}

/// The shape of names the policy uses; the rules never use the zone itself, the station's clock does.
enum TimeZoneName {
    static func isPlausible(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }
    }

    static func isPlausibleFileName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-".contains($0)) }
    }
}
