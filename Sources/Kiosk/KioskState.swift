import CardPrinter
import CardSecurity
import PermitCard

/// Every screen of the kiosk as an explicit state (as AusweisApp writes its workflows): what is on the
/// screen is a function of this value and the language, nothing else. States carrying a `PresentedCard`
/// show personal data; every way out of them when the card leaves goes to one that carries none.
public enum KioskState: Sendable, Hashable {
    /// "Insert your card."
    case idle
    /// A card is in; the kiosk reads it.
    case reading
    /// The status in plain words and what an endorsement today does; Confirm or Cancel.
    case offer(PresentedCard, EndorsementPlan)
    /// The holder enters the PIN (the profile asks for it); it is the confirmation of the offer.
    case pinEntry(PresentedCard, EndorsementPlan, notice: PINNotice?)
    /// The card is being endorsed.
    case endorsing(PresentedCard, EndorsementPlan)
    /// The new validity is being printed on the card's face.
    case printing(PresentedCard, EndorsementPlan)
    /// Done: the card is endorsed; whether its face was printed.
    case takeCard(PresentedCard, EndorsementPlan, printed: PrintOutcome)
    /// The window has not opened yet.
    case notYetDue(PresentedCard, opens: CalendarDate, validUntil: CalendarDate)
    /// Only an officer can help.
    case counter(PresentedCard, CounterReason)
    /// Not a card this kiosk can work with.
    case wrongCard(WrongCard)
    case pinBlocked(PresentedCard)
    /// The card left before the kiosk was done; whether anything was written.
    case cardPulled(Interruption)
    /// The holder cancelled: nothing was written.
    case cancelled
    /// The kiosk's reader (or pcscd) is gone.
    case offline
    /// Anything else went wrong; the sentence is for the operator's log, the screen says what to do.
    case failed(String)
    /// The screen timed out while a card was still in: no personal data, just "take your card".
    case removeCard
}

/// Why the PIN screen is shown again.
public enum PINNotice: Sendable, Hashable {
    /// The card refused the PIN; the tries its counter has left.
    case wrong(triesLeft: Int)
    /// Too short or too long for the profile, or not all digits: not sent to the card, no try lost.
    case badLength
}

/// How printing the new validity went.
public enum PrintOutcome: Sendable, Hashable {
    case printed
    /// No printer is configured for this kiosk: the new validity is on the chip; the counter prints the face.
    case noPrinter
    case failed(PrinterProblem)
}

/// A print failure as the holder needs to hear it.
public enum PrinterProblem: Sendable, Hashable {
    case outOfCards, jammed, other

    public init(_ failure: PrintFailure) {
        let reasons: [PrinterReason]
        switch failure {
        case .queueStopped(_, let list, _), .jobFailed(_, _, let list, _): reasons = list
        case .timedOut: reasons = [.jammed]
        default: reasons = []
        }
        if reasons.contains(.outOfCards) { self = .outOfCards }
        else if reasons.contains(.jammed) { self = .jammed }
        else { self = .other }
    }
}

/// Why a card cannot be used here.
public enum WrongCard: Sendable, Hashable {
    /// Another product, or no permit application at all.
    case otherProduct
    /// Its personalisation was never finished.
    case incomplete
    /// The chip did not prove it is genuine, or its data does not verify.
    case notGenuine
}

/// What is known about the card when it left early.
public enum Interruption: Sendable, Hashable {
    /// Before anything was sent that writes.
    case nothingWritten
    /// During the endorsement's write: the card must come back to tell.
    case unknown(serial: CardSerial, plan: EndorsementPlan)
    /// After the endorsement was written, before its face was printed.
    case notPrinted(newExpiry: CalendarDate)
}

/// What the kiosk is told: card events from the daemon's reader watch, the holder's touches, and the
/// results of the card and print work it asked for.
public enum KioskInput: Sendable, Equatable {
    case cardInserted, cardRemoved
    /// The kiosk's reader went away or pcscd stopped answering; and back.
    case readerLost, readerBack
    case cardRead(Result<PresentedCard, PermitCardError>)
    case confirm, cancel
    case pin(String)
    case endorsed(Result<Endorsed, PermitCardError>)
    case printed(PrintOutcome)
    /// The current screen's time is up.
    case timeout
}

/// An endorsement written to the card.
public struct Endorsed: Sendable, Hashable {
    public let expiry: CalendarDate
    public let residenceSince: CalendarDate
    public init(expiry: CalendarDate, residenceSince: CalendarDate) {
        self.expiry = expiry
        self.residenceSince = residenceSince
    }
}

/// Work the kiosk asks of the station after a transition.
public enum KioskEffect: Sendable, Hashable {
    case readCard
    /// Endorse the card with this serial (the station checks it is still the card in the reader).
    case endorse(serial: CardSerial, pin: String?)
    /// Print the stamp of the endorsement just written.
    case printStamp(PresentedCard, EndorsementPlan)
}
