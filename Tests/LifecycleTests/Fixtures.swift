import Foundation
import Lifecycle

/// The two regions' policies as the seeds state them, built in code so the rule tests do not
/// depend on the profile files (a separate test checks the files say the same).
enum Policies {
    static let zhejiang = RegionPolicy(
        timeZone: "Asia/Shanghai", validityMonths: 12, endorsementWindow: Period(1, .months),
        continuityGraceDays: 0, cancelAfterOverdueDays: 60, addressChangeDeadline: Period(10, .days),
        issuanceDeadline: Period(15, .workingDays), pointsLapseOnSuspension: true)
    static let innerMongolia = RegionPolicy(
        timeZone: "Asia/Shanghai", validityMonths: 12, endorsementWindow: Period(30, .days),
        continuityGraceDays: 30, cancelAfterOverdueDays: nil, addressChangeDeadline: Period(30, .days),
        issuanceDeadline: Period(30, .days), pointsLapseOnSuspension: true)
}

/// `d("2025-03-15")`: a date literal; traps on a typo, which is a test bug.
func d(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso: text) else { fatalError("bad test date \(text)") }
    return date
}

/// The package root, found from this file, so tests do not depend on the working directory.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
