import Lifecycle
import PermitCard

/// What the region's rules let this holder do at the kiosk today, decided from the chip's own dates by
/// module Lifecycle (the same classification the card layer signs): endorse (with what it does to the
/// validity and the residence period, said before the holder confirms), come back later, or go to the counter.
public enum KioskAssessment: Sendable, Hashable {
    case endorsable(EndorsementPlan)
    /// The window has not opened: the day it opens, and the validity until then.
    case notYetDue(opens: CalendarDate, validUntil: CalendarDate)
    /// Only an officer can help.
    case counter(CounterReason)

    public init(card: PresentedCard, today: CalendarDate) {
        switch card.status.recorded {
        case .cancelled?:
            self = .counter(.cancelled)
            return
        case .replaced?:
            self = .counter(.replaced)
            return
        case .suspended? where card.status.newest?.change != .suspendedOverdue:
            self = .counter(.suspendedByOfficer)
            return
        case nil:
            self = .counter(.datesUnreadable)
            return
        case .inForce?, .suspended?:
            break
        }
        guard let state = card.permit else {
            self = .counter(.datesUnreadable)
            return
        }
        switch state.classifyEndorsement(on: today, policy: card.policy) {
        case .refused(.windowNotOpen(let opens)):
            self = .notYetDue(opens: opens, validUntil: state.expiry(card.policy))
        case .refused(.cancellationDue(let since)):
            self = .counter(.cancellationDue(since: since))
        case .refused(.cancelled):
            self = .counter(.cancelled)
        case .refused(.beforeIssue):
            self = .counter(.datesUnreadable)
        case .timely, .lateContinuous, .lateReset:
            guard card.endorsementsLeft > 0 else {
                self = .counter(.endorsementFileFull)
                return
            }
            var after = state
            // classifyEndorsement accepted this day, so endorse cannot refuse it.
            guard let endorsementClass = try? after.endorse(on: today, policy: card.policy) else {
                self = .counter(.datesUnreadable)
                return
            }
            self = .endorsable(EndorsementPlan(
                endorsementClass: endorsementClass, on: today, expiry: state.expiry(card.policy),
                suspendedFrom: today > state.expiry(card.policy) ? state.suspendedFrom(card.policy) : nil,
                graceEnds: state.graceEnds(card.policy), residenceSince: state.residenceSince,
                newExpiry: after.expiry(card.policy), newResidenceSince: after.residenceSince))
        }
    }
}

/// An endorsement the rules allow today, and its consequences.
public struct EndorsementPlan: Sendable, Hashable {
    public let endorsementClass: EndorsementClass
    public let on: CalendarDate
    /// The validity now, and the day the permit was suspended from when it is late.
    public let expiry: CalendarDate
    public let suspendedFrom: CalendarDate?
    /// The last day a late endorsement keeps the residence period continuous (nil: the region has no grace).
    public let graceEnds: CalendarDate?
    public let residenceSince: CalendarDate
    /// After the endorsement: the new validity and the start of the residence period (today, after a reset).
    public let newExpiry: CalendarDate
    public let newResidenceSince: CalendarDate

    public init(
        endorsementClass: EndorsementClass, on: CalendarDate, expiry: CalendarDate, suspendedFrom: CalendarDate?,
        graceEnds: CalendarDate?, residenceSince: CalendarDate, newExpiry: CalendarDate, newResidenceSince: CalendarDate
    ) {
        self.endorsementClass = endorsementClass
        self.on = on
        self.expiry = expiry
        self.suspendedFrom = suspendedFrom
        self.graceEnds = graceEnds
        self.residenceSince = residenceSince
        self.newExpiry = newExpiry
        self.newResidenceSince = newResidenceSince
    }

    /// Whether the card already shows this endorsement (the kiosk's check after a card was pulled mid-write).
    public func isShown(by card: PresentedCard) -> Bool {
        card.expiry == newExpiry && card.residenceSince == newResidenceSince && card.status.recorded == .inForce
    }
}

/// Why the kiosk sends the holder to the counter.
public enum CounterReason: Sendable, Hashable {
    /// Overdue beyond the region's limit: an officer determines the cancellation.
    case cancellationDue(since: CalendarDate)
    case cancelled
    /// The permit moved to a new card; this one is void.
    case replaced
    /// An officer suspended the permit; only an officer restores it.
    case suspendedByOfficer
    /// No free record for an endorsement: the card must be replaced.
    case endorsementFileFull
    /// The card's dates are not ones the region's rules write.
    case datesUnreadable
}
