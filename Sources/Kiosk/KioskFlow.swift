import CardSecurity
import PermitCard

/// The kiosk's workflow: one state, and the transition for each input. Pure: the session (module
/// StationScreens) feeds it the daemon's card events, the holder's touches and the results of the
/// effects it returns, and renders `state`.
public struct KioskFlow: Sendable {
    public private(set) var state: KioskState = .idle
    /// Whether a card is in the kiosk's reader, as the reader events say.
    public private(set) var cardPresent = false
    /// Whether this kiosk prints the new validity on the card's face (a printer queue is configured).
    public let printsFace: Bool
    /// The station's today, read when a card is assessed.
    let today: @Sendable () -> CalendarDate
    /// An endorsement whose write was cut off: the next read of the same card tells whether it was written.
    private var interrupted: (serial: CardSerial, plan: EndorsementPlan)?

    public init(printsFace: Bool, today: @escaping @Sendable () -> CalendarDate) {
        self.printsFace = printsFace
        self.today = today
    }

    /// Applies `input`; returns the work the station must do next, if any.
    public mutating func handle(_ input: KioskInput) -> KioskEffect? {
        switch input {
        case .readerLost:
            cardPresent = false
            if !state.isWorking { state = .offline }
        case .readerBack:
            if state == .offline { state = .idle }
        case .cardInserted:
            cardPresent = true
            guard !state.isWorking else { return nil }
            state = .reading
            return .readCard
        case .cardRemoved:
            cardPresent = false
            return cardLeft()
        case .cardRead(let result):
            guard state == .reading else { return nil }
            return read(result)
        case .confirm:
            guard case .offer(let card, let plan) = state else { return nil }
            if card.needsPIN {
                state = .pinEntry(card, plan, notice: nil)
                return nil
            }
            state = .endorsing(card, plan)
            return .endorse(serial: card.serial, pin: nil)
        case .pin(let pin):
            guard case .pinEntry(let card, let plan, _) = state else { return nil }
            guard let policy = card.pin, (policy.minLength...policy.maxLength).contains(pin.count), pin.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                state = .pinEntry(card, plan, notice: .badLength)
                return nil
            }
            state = .endorsing(card, plan)
            return .endorse(serial: card.serial, pin: pin)
        case .cancel:
            switch state {
            case .offer, .pinEntry: state = cardPresent ? .cancelled : .idle
            default: break
            }
        case .endorsed(let result):
            guard case .endorsing(let card, let plan) = state else { return nil }
            return endorsed(result, card: card, plan: plan)
        case .printed(let outcome):
            guard case .printing(let card, let plan) = state else { return nil }
            if cardPresent {
                state = .takeCard(card, plan, printed: outcome)
            } else {
                state = outcome == .printed ? .idle : .cardPulled(.notPrinted(newExpiry: plan.newExpiry))
            }
        case .timeout:
            guard !state.isWorking, state != .idle, state != .offline, state != .removeCard else { return nil }
            state = cardPresent ? .removeCard : .idle
        }
        return nil
    }

    /// The card left the reader.
    private mutating func cardLeft() -> KioskEffect? {
        switch state {
        case .reading, .offer, .pinEntry:
            state = .cardPulled(.nothingWritten)
        case .endorsing, .printing:
            break   // the work in hand ends with a result that says what happened
        case .takeCard, .notYetDue, .counter, .wrongCard, .pinBlocked, .cancelled, .removeCard, .failed:
            state = .idle
        case .idle, .offline, .cardPulled:
            break
        }
        return nil
    }

    private mutating func read(_ result: Result<PresentedCard, PermitCardError>) -> KioskEffect? {
        let card: PresentedCard
        switch result {
        case .failure(let error):
            interrupted = nil
            state = Self.state(after: error, cardPresent: cardPresent)
            return nil
        case .success(let read):
            card = read
        }
        if let pending = interrupted {
            interrupted = nil
            if pending.serial == card.serial, pending.plan.isShown(by: card) {
                // The write had gone through before the card left: finish what the holder confirmed.
                return wrote(card: card, plan: pending.plan)
            }
        }
        switch KioskAssessment(card: card, today: today()) {
        case .endorsable(let plan):
            state = card.needsPIN && card.pinTriesLeft == 0 ? .pinBlocked(card) : .offer(card, plan)
        case .notYetDue(let opens, let validUntil):
            state = .notYetDue(card, opens: opens, validUntil: validUntil)
        case .counter(let reason):
            state = .counter(card, reason)
        }
        return nil
    }

    private mutating func endorsed(_ result: Result<Endorsed, PermitCardError>, card: PresentedCard, plan: EndorsementPlan) -> KioskEffect? {
        switch result {
        case .success:
            guard cardPresent else {
                state = .cardPulled(.notPrinted(newExpiry: plan.newExpiry))
                return nil
            }
            return wrote(card: card, plan: plan)
        case .failure(.wrongPIN(let triesLeft)):
            state = .pinEntry(card, plan, notice: .wrong(triesLeft: triesLeft))
        case .failure(.pinBlocked):
            state = .pinBlocked(card)
        case .failure(.invalidInput):
            state = .pinEntry(card, plan, notice: .badLength)
        case .failure(.endorsementFileFull):
            state = .counter(card, .endorsementFileFull)
        case .failure(.communication):
            // The write may or may not have reached the card: only reading it again tells.
            interrupted = (card.serial, plan)
            guard cardPresent else {
                state = .cardPulled(.unknown(serial: card.serial, plan: plan))
                return nil
            }
            state = .reading
            return .readCard
        case .failure(.endorsementRefused), .failure(.statusForbids), .failure(.wrongCard):
            // The day turned, or another card is in: read again and say what holds now.
            guard cardPresent else {
                state = .cardPulled(.nothingWritten)
                return nil
            }
            state = .reading
            return .readCard
        case .failure(let error):
            state = Self.state(after: error, cardPresent: cardPresent)
        }
        return nil
    }

    /// The endorsement is on the card: print its stamp, or finish.
    private mutating func wrote(card: PresentedCard, plan: EndorsementPlan) -> KioskEffect? {
        guard printsFace else {
            state = .takeCard(card, plan, printed: .noPrinter)
            return nil
        }
        state = .printing(card, plan)
        return .printStamp(card, plan)
    }

    /// The screen for a card-layer refusal outside the endorsement's own cases.
    static func state(after error: PermitCardError, cardPresent: Bool) -> KioskState {
        switch error {
        case .wrongProduct, .applicationNotFound, .suiteMismatch, .keyVersionUnknown, .terminalAuthenticationFailed:
            return .wrongCard(.otherProduct)
        case .cardIncomplete:
            return .wrongCard(.incomplete)
        case .copiedCard, .forgedData, .malformedCard, .secureMessagingRejected:
            return .wrongCard(.notGenuine)
        case .communication where !cardPresent:
            return .cardPulled(.nothingWritten)
        default:
            return .failed(error.description)
        }
    }
}

extension KioskState {
    /// Card or print work is in hand: its result, not a touch or a timer, ends the state.
    public var isWorking: Bool {
        switch self {
        case .reading, .endorsing, .printing: true
        default: false
        }
    }

    /// Whether the screen shows the holder's name, permit number and masked ID.
    public var showsPersonalData: Bool {
        switch self {
        case .offer, .takeCard, .notYetDue, .counter, .pinBlocked: true
        case .idle, .reading, .pinEntry, .endorsing, .printing, .wrongCard, .cardPulled, .cancelled, .offline, .failed, .removeCard: false
        }
    }
}
