import CardProfiles
import Foundation
import Lifecycle

/// The two regions' policies as the seeds state them (docs/RULES.md), built in code so the rule tests do not
/// depend on the profile files (a separate test checks the files say the same). The working-day calendar is the
/// shipped one.
enum Policies {
    static let calendar = try! ProfileLibrary(directory: packageRoot.appendingPathComponent("cardprofiles")).workingDayCalendar("cn-state-council")

    static let zhejiang = RegionPolicy(
        timeZone: "Asia/Shanghai", periodCounting: .startDayExcluded, validityMonths: 12, endorsementWindow: Period(1, .months),
        continuityGrace: nil, validityAfterLateReset: .issueAnniversaries, cancellationDueAfterOverdueDays: 60,
        addressChangeDeadline: Period(10, .days), workplaceChangeDeadline: Period(10, .days), issuanceDeadline: Period(15, .workingDays),
        holidayCalendar: "cn-state-council", points: PointsRule(validity: .applicationYear),
        eligibility: EligibilityRule(minimumResidenceMonths: 6, talentException: true, temporaryPermitYearsCount: false),
        cardFee: CardFeeRule(firstPermit: false, endorsement: false, renewal: true, replacement: true),
        cardPersonalisation: .station, workingDays: calendar)
    static let innerMongolia = RegionPolicy(
        timeZone: "Asia/Shanghai", periodCounting: .startDayExcluded, validityMonths: 12, endorsementWindow: Period(30, .days),
        continuityGrace: Period(30, .days), validityAfterLateReset: .fromRestoration, cancellationDueAfterOverdueDays: nil,
        addressChangeDeadline: Period(30, .days), workplaceChangeDeadline: nil, issuanceDeadline: Period(30, .days),
        holidayCalendar: "cn-state-council", points: nil,
        eligibility: EligibilityRule(minimumResidenceMonths: 6, talentException: false, temporaryPermitYearsCount: true),
        cardFee: CardFeeRule(firstPermit: false, endorsement: false, renewal: true, replacement: true),
        cardPersonalisation: .centralOffice, workingDays: calendar)
}

/// `d("2025-03-15")`: a date literal; traps on a typo, which is a test bug.
func d(_ text: String) -> CalendarDate {
    guard let date = CalendarDate(iso: text) else { fatalError("bad test date \(text)") }
    return date
}

/// The package root, found from this file, so tests do not depend on the working directory.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
