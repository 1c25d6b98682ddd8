/// A region's lifecycle rules as data, read from the `policy` section of a card profile.
///
/// Every number and every reading that differs between regions lives here, so that a new region
/// is a new profile file and never new code (BRIEF §2). docs/RULES.md gives the seed clause behind
/// each field of the shipped profiles.
public struct RegionPolicy: Sendable, Hashable, Codable {
    /// IANA time zone in which the region's calendar dates are counted.
    public var timeZone: String
    /// How "within N days from day X" is counted (民法典 第二百零一条: day X itself does not count).
    public var periodCounting: PeriodCounting
    /// Validity of a permit, and of each endorsement, in calendar months.
    public var validityMonths: Int
    /// How long before the expiry date the endorsement window opens; it always closes on the expiry date.
    public var endorsementWindow: Period
    /// How long after the day of suspension (expiry + 1) a late endorsement keeps the residence period
    /// continuous, counted by `periodCounting` (`nil`: every late endorsement restarts it).
    public var continuityGrace: Period?
    /// Where the validity runs after a late endorsement that restarted the residence period.
    public var validityAfterLateReset: ValidityAfterLateReset
    /// Days overdue after which a permit is *due for cancellation*: listed for an officer's determination,
    /// never cancelled by the calendar (`nil`: the region has no such ground).
    public var cancellationDueAfterOverdueDays: Int?
    /// How soon after moving a holder must report a change of residence address.
    public var addressChangeDeadline: Period
    /// How soon after a change of the place of work or study (服务处所) it must be reported (`nil`: not required).
    public var workplaceChangeDeadline: Period?
    /// How soon after acceptance an application (first permit, renewal or replacement) must be issued.
    public var issuanceDeadline: Period
    /// The working-day calendar (a file in `cardprofiles/holidays/`) for deadlines counted in working days.
    public var holidayCalendar: String
    /// Residence points, or `nil` where the region has none.
    public var points: PointsRule?
    /// Who may apply: minimum residence since registration, the talent exception, earlier temporary permits.
    public var eligibility: EligibilityRule
    /// Which acts are charged the card fee (工本费).
    public var cardFee: CardFeeRule
    /// Who personalises the cards: each station, or a central office.
    public var cardPersonalisation: CardPersonalisation

    /// The working-day calendar named by `holidayCalendar`, attached by the profile loader (not part of the JSON).
    public var workingDays: WorkingDayCalendar?

    enum CodingKeys: String, CodingKey {
        case timeZone, periodCounting, validityMonths, endorsementWindow, continuityGrace, validityAfterLateReset,
             cancellationDueAfterOverdueDays, addressChangeDeadline, workplaceChangeDeadline, issuanceDeadline,
             holidayCalendar, points, eligibility, cardFee, cardPersonalisation
    }

    public init(
        timeZone: String, periodCounting: PeriodCounting, validityMonths: Int, endorsementWindow: Period,
        continuityGrace: Period?, validityAfterLateReset: ValidityAfterLateReset, cancellationDueAfterOverdueDays: Int?,
        addressChangeDeadline: Period, workplaceChangeDeadline: Period?, issuanceDeadline: Period, holidayCalendar: String,
        points: PointsRule?, eligibility: EligibilityRule, cardFee: CardFeeRule, cardPersonalisation: CardPersonalisation,
        workingDays: WorkingDayCalendar? = nil
    ) {
        self.timeZone = timeZone
        self.periodCounting = periodCounting
        self.validityMonths = validityMonths
        self.endorsementWindow = endorsementWindow
        self.continuityGrace = continuityGrace
        self.validityAfterLateReset = validityAfterLateReset
        self.cancellationDueAfterOverdueDays = cancellationDueAfterOverdueDays
        self.addressChangeDeadline = addressChangeDeadline
        self.workplaceChangeDeadline = workplaceChangeDeadline
        self.issuanceDeadline = issuanceDeadline
        self.holidayCalendar = holidayCalendar
        self.points = points
        self.eligibility = eligibility
        self.cardFee = cardFee
        self.cardPersonalisation = cardPersonalisation
        self.workingDays = workingDays
    }
}

/// How a period "自X之日起N日内" (within N units from day X) is counted.
public enum PeriodCounting: String, Sendable, Hashable, Codable, CaseIterable {
    /// Day X does not count: the last day is `X + N` (民法典 第二百零一条; administrative procedure counts alike).
    case startDayExcluded
    /// Day X is the first day: the last day is `X + N - 1`.
    case startDayIncluded
}

/// Where the validity runs after a late endorsement that restarted the residence period.
public enum ValidityAfterLateReset: String, Sendable, Hashable, Codable, CaseIterable {
    /// It stays on the issue-date anniversaries: valid until the next one (Zhejiang, seed 000).
    case issueAnniversaries
    /// A new cycle starts on the day of restoration: valid one validity period from it (Inner Mongolia, a choice).
    case fromRestoration
}

/// Residence points (积分): how long a grant is valid. Points lapse whenever the permit is not in force.
public struct PointsRule: Sendable, Hashable, Codable {
    public enum Validity: String, Sendable, Hashable, Codable, CaseIterable {
        /// Valid for the year of the application (积分有效期为申请当年): through 31 December of it.
        case applicationYear
    }
    public var validity: Validity

    public init(validity: Validity) { self.validity = validity }

    /// The last day a grant made on `date` is valid, unless the permit stops being in force first.
    public func validUntil(grantedOn date: CalendarDate) -> CalendarDate {
        switch validity {
        case .applicationYear: CalendarDate(year: date.year, month: 12, day: 31)!
        }
    }
}

/// Who may apply (BRIEF §2, "Eligibility at application").
public struct EligibilityRule: Sendable, Hashable, Codable {
    /// Months of residence, counted from the residence-registration date, required before applying.
    public var minimumResidenceMonths: Int
    /// Whether investment/entrepreneur talent and recruited talent may apply without the minimum residence.
    public var talentException: Bool
    /// Whether years under an earlier temporary residence permit (暂住证) count towards the residence years.
    public var temporaryPermitYearsCount: Bool

    public init(minimumResidenceMonths: Int, talentException: Bool, temporaryPermitYearsCount: Bool) {
        self.minimumResidenceMonths = minimumResidenceMonths
        self.talentException = talentException
        self.temporaryPermitYearsCount = temporaryPermitYearsCount
    }

    /// The first day an application is possible for a residence registered on `registered`.
    public func earliestApplication(registeredOn registered: CalendarDate) -> CalendarDate {
        registered.adding(months: minimumResidenceMonths)
    }
}

/// Which acts are charged the card fee (工本费); the amount is set by the price authorities, not here.
public struct CardFeeRule: Sendable, Hashable, Codable {
    public var firstPermit: Bool
    public var endorsement: Bool
    public var renewal: Bool
    public var replacement: Bool

    public init(firstPermit: Bool, endorsement: Bool, renewal: Bool, replacement: Bool) {
        self.firstPermit = firstPermit
        self.endorsement = endorsement
        self.renewal = renewal
        self.replacement = replacement
    }
}

/// Who personalises (writes and prints) the cards in a region.
public enum CardPersonalisation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each station issues cards itself (Zhejiang: the county police issue, seed 000).
    case station
    /// Stations accept, endorse and change; a central office makes the cards (Inner Mongolia: 分散受理、集中制证, seed 003).
    case centralOffice
}

/// A length of time in the unit a regulation states it in.
public struct Period: Sendable, Hashable, Codable {
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        case days, workingDays, months
    }
    public var count: Int
    public var unit: Unit

    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }
}

extension RegionPolicy {
    /// The last day of the period `period` "from day `start`", counted by `periodCounting`; working days by the
    /// holiday calendar (throws when it does not cover the days counted, or when no calendar is attached).
    public func lastDay(of period: Period, from start: CalendarDate) throws(LifecycleError) -> CalendarDate {
        let included = periodCounting == .startDayIncluded
        switch period.unit {
        case .days: return start.adding(days: period.count - (included && period.count > 0 ? 1 : 0))
        case .months: return start.adding(months: period.count).adding(days: included && period.count > 0 ? -1 : 0)
        case .workingDays:
            guard let workingDays else { throw .noWorkingDayCalendar(holidayCalendar) }
            if included, period.count > 0, try workingDays.isWorkingDay(start) {
                return try workingDays.adding(workingDays: period.count - 1, to: start)
            }
            return try workingDays.adding(workingDays: period.count, to: start)
        }
    }
}
