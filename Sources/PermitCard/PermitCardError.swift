import ApplicationData
import ISO7816
import CardSecurity
import Foundation
import Lifecycle

/// Every refusal of the card layer, each its own case so a station can act on it. Descriptions say
/// what was wrong, where, and what to do; none contains key material, PINs or cryptograms. Unless a
/// case says otherwise, nothing was written to the card.
public enum PermitCardError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The ATR is not this profile's: another product (or no permit card at all).
    case wrongProduct(atr: [UInt8], profile: String)
    /// SELECT of the profile's AID failed: the card has no permit application of this product.
    case applicationNotFound(aid: [UInt8], profile: String)
    /// Personalisation was started but never finalised: not a valid permit card.
    case cardIncomplete(serial: CardSerial)
    /// An issuance was asked of a card that is already finalised.
    case alreadyIssued(serial: CardSerial)
    /// The card in the reader is not the one the operation was started on.
    case wrongCard(expected: CardSerial, found: CardSerial)
    /// This terminal does not hold what `operation` needs (e.g. a kiosk asked to issue or cancel).
    case roleNotHeld(operation: String, missing: String)
    /// The card refused EXTERNAL AUTHENTICATE (`63 00`): the terminal's key for `role` is not this card's.
    case terminalAuthenticationFailed(role: KeyRole)
    /// The card holds a version of the `role` key the profile does not name (neither current nor previous).
    case keyVersionUnknown(role: KeyRole, version: Int, profile: String)
    /// The card was personalised for another crypto suite than the one the profile pins.
    case suiteMismatch(card: CryptoSuite, profile: String, pinned: CryptoSuite)
    /// The card refused `command` for lack of rights (`69 82`).
    case accessDenied(command: String)
    /// The card refused a protected command's secure messaging (`69 87`/`69 88`): altered, replayed or out of sequence.
    case secureMessagingRejected(command: String, statusWord: UInt16)
    /// VERIFY failed; the card has decremented its counter.
    case wrongPIN(triesLeft: Int)
    /// The holder PIN is blocked; an issuing station must unblock it.
    case pinBlocked
    /// RESET RETRY COUNTER refused the PUK; the card has decremented the PUK's own counter.
    case wrongPUK(triesLeft: Int)
    /// The PUK's tries are spent: the PIN can never be unblocked; the permit needs a new card.
    case pukBlocked
    /// The profile requires the holder PIN for this operation and none was given.
    case pinRequired(operation: String)
    /// The rules refuse the endorsement (window not open, cancelled, before issue).
    case endorsementRefused(Refusal, on: CalendarDate)
    /// The permit's recorded status forbids the operation (cancelled, void, not suspended, ...).
    case statusForbids(operation: String, status: String)
    /// EF.ENDORSE has no free record: the permit needs a new card (replacement).
    case endorsementFileFull(records: Int)
    /// Input the caller gave cannot be written (PIN format, encoding limits).
    case invalidInput(CardDataError)
    /// The application (holder data, address, dates) fails ApplicationData's checks.
    case invalidApplication(FieldProblem)
    /// What the card holds does not follow the specification.
    case malformedCard(CardDataError)
    /// The card answered `command` with a status word this operation does not expect.
    case cardRefused(command: String, statusWord: UInt16)
    /// The card's security object or a record's signature does not verify: forged or altered data.
    case forgedData(check: String, reason: String)
    /// The chip could not prove its key: the card is a copy.
    case copiedCard(reason: String)
    /// The card failed a check of its validity (status, dates, status list).
    case notValid(check: String, reason: String)
    /// A status list older (lower sequence) than one this terminal has already seen.
    case staleStatusList(sequence: UInt32, seen: UInt32)
    /// The card profile cannot drive the application's commands (e.g. a file without an SFI).
    case unusableProfile(String, reason: String)
    /// A cryptographic step failed on this side.
    case security(CardSecurityError)
    /// The reader or card went away, or pcscd failed; the operation did not finish.
    case communication(String)

    public var description: String {
        switch self {
        case .wrongProduct(let atr, let profile):
            "The card's ATR \(atr.hexString) is not that of a \(profile) permit card; nothing was written. Use a card of this product or choose its profile."
        case .applicationNotFound(let aid, let profile):
            "The card has no \(profile) permit application (SELECT of AID \(aid.hexString) failed); nothing was written. It is a card of another product."
        case .cardIncomplete(let serial):
            "Card \(serial) was never finalised: its personalisation was interrupted. It is not a valid permit card; finish or restart the issuance with `permit card issue`."
        case .alreadyIssued(let serial):
            "Card \(serial) is already issued (finalised); nothing was written. Use a blank card, or `permit card replace` for a new card of an existing permit."
        case .wrongCard(let expected, let found):
            "The card in the reader is \(found), not \(expected) on which the operation was started; put card \(expected) back or start again."
        case .roleNotHeld(let operation, let missing):
            "This terminal may not \(operation): it lacks \(missing); nothing was written. Use a terminal of the right role."
        case .terminalAuthenticationFailed(let role):
            "The card refused this terminal's \(role) key (EXTERNAL AUTHENTICATE 6300); nothing was written. The terminal's master keys are not this card's authority's, or the card is not genuine."
        case .keyVersionUnknown(let role, let version, let profile):
            "The card holds version \(version) of its \(role) key, which profile \(profile) does not name (neither its current version nor a previous one); nothing was written. Update the profile, or the card comes from another authority."
        case .suiteMismatch(let card, let profile, let pinned):
            "The card was personalised for the \(card) crypto suite, but profile \(profile) pins \(pinned); nothing was read or written. The card is not of this product, or it is forged."
        case .accessDenied(let command):
            "The card refused \(command) (6982: security status not satisfied); nothing was written. This terminal's role may not do this."
        case .secureMessagingRejected(let command, let statusWord):
            "The card rejected \(command) under secure messaging (\(String(format: "%04X", statusWord)): MAC wrong, replayed or out of sequence); nothing was written and the session is closed. Start the operation again."
        case .wrongPIN(let tries):
            "Wrong PIN: \(tries) \(tries == 1 ? "try" : "tries") left before the PIN is blocked; nothing else was written."
        case .pinBlocked:
            "The holder PIN is blocked; nothing was written. The holder unblocks it with the PUK of the PIN letter (`permit card unblock-pin`)."
        case .wrongPUK(let tries):
            "Wrong PUK: \(tries) \(tries == 1 ? "try" : "tries") left before the PUK is blocked for good; the PIN stays blocked."
        case .pukBlocked:
            "The PUK is blocked: the holder PIN can never be unblocked on this card; nothing was written. Issue a replacement card."
        case .pinRequired(let operation):
            "This card's profile requires the holder's PIN to \(operation); nothing was written. Ask the holder to enter it."
        case .endorsementRefused(let refusal, let date):
            "Endorsement on \(date) refused: \(refusal.explanation); nothing was written."
        case .statusForbids(let operation, let status):
            "Cannot \(operation): the permit on this card is \(status); nothing was written."
        case .endorsementFileFull(let records):
            "The card's endorsement file is full (\(records) records); nothing was written. Issue a replacement card."
        case .invalidApplication(let problem):
            "The application's \(problem) Nothing was written."
        case .invalidInput(let problem):
            "The data to write is not valid: \(problem); nothing was written. Correct it and try again."
        case .malformedCard(let problem):
            "The card's data does not follow the card specification: \(problem). The card is damaged or not genuine."
        case .cardRefused(let command, let statusWord):
            "The card answered \(command) with \(String(format: "%04X", statusWord)); the operation stopped there. If it was a write, read the card again to see its state."
        case .forgedData(let check, let reason):
            "The card's \(check) does not verify: \(reason). Treat the card as forged; keep it."
        case .copiedCard(let reason):
            "The chip could not prove it holds the card's key: \(reason). Treat the card as a copy; keep it."
        case .notValid(let check, let reason):
            "The permit is not valid (\(check)): \(reason)."
        case .staleStatusList(let sequence, let seen):
            "Status list \(sequence) is older than status list \(seen), which this terminal has already seen; it was not loaded. Load the current status list."
        case .unusableProfile(let profile, let reason):
            "Card profile \(profile) cannot be used with this card application: \(reason); nothing was sent. Correct cardprofiles/\(profile).json (docs/PROFILE-FORMAT.md)."
        case .security(let error):
            "\(error)"
        case .communication(let what) where what.contains("read it again"):
            // The reader layer's sentence already says what happened and what to do.
            "The operation stopped: \(what)"
        case .communication(let what):
            "Card communication failed: \(what.trimmingCharacters(in: [".", " "])). Check the card sits in the reader; read it again to see whether the operation took effect."
        }
    }

    public var errorDescription: String? { description }
}
