import CardProfiles
import Lifecycle
import PermitCard
import Registry

/// A card as the station sees it when it is presented: the full reading, the offline verification as of the
/// station's today, and what the registry holds for its serial.
public struct Presentation: Sendable {
    public let reading: CardReading
    public let report: VerificationReport
    public let profile: CardProfile
    /// The registry's card, permit and holder; nil for a card this registry does not know.
    public let registered: CardLookup?
    /// The registry's replacement of this card, once another card replaces it.
    public let replacement: CardReplacement?
    public let today: CalendarDate

    public var serial: String { reading.serial.description }
    public var snapshot: CardSnapshot { CardSnapshot(reading) }

    /// The chip proved it holds the key the authority signed for this serial (a copy cannot).
    public var chipProved: Bool { report[.chipAuthentication]?.isPassed == true }

    /// The permit as this card records it, today.
    public var cardStatus: PermitStatus? {
        guard let permit = try? reading.permitState(policy: profile.policy), let card = try? reading.status() else { return nil }
        let byCalendar = permit.status(on: today, policy: profile.policy)
        switch card.recorded {
        case .cancelled?, .replaced?: return .cancelled
        case .suspended?: return byCalendar == .cancellationDue ? .cancellationDue : .suspended
        case nil, .inForce?: return byCalendar
        }
    }

    /// Where the holder on the card and the holder in the registry differ (citizen ID, name), without the
    /// personal data itself (it goes on the event stream); nil when they agree.
    public var holderDisagreement: String? {
        guard let registered else { return nil }
        guard let holder = try? reading.holder() else { return "the card's holder data do not decode" }
        if holder.citizenID.text != registered.holder.idNumber.uppercased() { return "the card's holder has another citizen ID than the registry's" }
        if holder.name != registered.holder.name { return "the card's holder has another name than the registry's" }
        return nil
    }
}
