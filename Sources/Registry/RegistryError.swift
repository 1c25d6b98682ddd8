import ApplicationData
import Lifecycle

/// Why the registry refused or failed. Each description says what, where, and what to do;
/// when one is thrown, the transaction was rolled back and nothing was half-written.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// Another process held the write lock for longer than the busy timeout.
    case busy(path: String, waitedSeconds: Double)
    /// The file was written by a newer version of the software (a migration this one does not know).
    case schemaTooNew(path: String, unknown: [String])
    case unknownPermit(Int64)
    case unknownApplication(Int64)
    case unknownSerial(String)
    /// A permit names a profile whose policy the registry was not given.
    case unknownProfile(String, known: [String])
    /// The lifecycle rules refused the change (refused endorsement, cancelled permit, transition not on the whitelist...).
    case refused(permit: Int64, LifecycleError)
    /// An event dated before the permit's latest recorded change.
    case backdated(permit: Int64, date: CalendarDate, latest: CalendarDate)
    case applicationAlreadyIssued(application: Int64, permit: Int64)
    case holderHasPermit(idNumber: String, permit: Int64)
    case serialInUse(String)
    case idNumberNameMismatch(idNumber: String, registeredName: String)
    /// A field value the registry cannot accept.
    case invalid(field: String, value: String, problem: String)
    /// An application's data fails ApplicationData's checks (the same the card makes).
    case application(FieldProblem)
    case permitCancelled(Int64)
    /// The registry file (or its -wal/-shm file) may be read by every user, or written by the group.
    case exposed(path: String, mode: UInt32)
    case tokenNameInUse(String)
    case unknownToken(String)
    case tokenRevoked(String)
    /// The applicant does not meet the region's conditions yet (the sentence says which and until when).
    case notEligible(String)
    /// A rule outside any one permit refused (a working-day count beyond the holiday calendar, ...).
    case rules(LifecycleError)
    /// Residence points asked for in a region that has none.
    case noPoints(profile: String)
    case unknownFee(Int64)
    case feeAlreadyPaid(Int64)
    /// Another card act on this card or permit is in hand (or was cut short and waits for its card): its intent.
    case intentPending(card: String, permit: Int64?, act: String, intent: Int64)
    case unknownIntent(Int64)
    /// The intent was settled already (by another process, or the act that opened it).
    case intentSettled(Int64, CardIntent.State)
    /// SQLite reported something else (disk full, corruption, I/O).
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the registry \(path): \(reason). Check the path and its permissions (or pass --db)."
        case .busy(let path, let waited):
            return "The registry \(path) is being written by another process (waited \(waited) s for it). Nothing was changed; try again when that process has finished."
        case .schemaTooNew(let path, let unknown):
            return "The registry \(path) was written by a newer PermitStation (schema \(unknown.joined(separator: ", "))). Upgrade this station's software; nothing was changed."
        case .unknownPermit(let id): return "No permit with number \(id) in the registry."
        case .unknownApplication(let id): return "No application with number \(id) in the registry."
        case .unknownSerial(let serial): return "No card with serial \(serial) in the registry."
        case .unknownProfile(let name, let known):
            return "No card profile \"\(name)\" is loaded (loaded: \(known.joined(separator: ", "))): check the name, or install cardprofiles/\(name).json."
        case .refused(let permit, let error): return "Permit \(permit): \(error.description)"
        case .backdated(let permit, let date, let latest):
            return "Permit \(permit): an event dated \(date) is before its latest recorded change (\(latest)); record events in date order."
        case .applicationAlreadyIssued(let application, let permit):
            return "Application \(application) was already issued as permit \(permit)."
        case .holderHasPermit(let idNumber, let permit):
            return "The holder \(idNumber) already has permit \(permit), not cancelled; one person holds one permit."
        case .serialInUse(let serial): return "Card serial \(serial) is already in the registry; each card has its own serial."
        case .idNumberNameMismatch(let idNumber, let name):
            return "ID number \(idNumber) is registered under the name \"\(name)\"; check the ID number or the name."
        case .invalid(let field, let value, let problem): return "\(field): \"\(value)\" \(problem)."
        case .application(let problem): return problem.description
        case .permitCancelled(let id): return "Permit \(id) is cancelled; nothing can be changed on it (the person applies again)."
        case .tokenNameInUse(let name): return "A token named \"\(name)\" exists already; choose another name, or revoke it first."
        case .unknownToken(let name): return "No token named \"\(name)\"; `permit token list` shows them."
        case .tokenRevoked(let name): return "The token \"\(name)\" is revoked already; nothing was changed."
        case .notEligible(let reason): return "The application cannot be accepted: \(reason)."
        case .rules(let error): return error.description
        case .noPoints(let profile): return "The \(profile) rules have no residence points; nothing was recorded."
        case .unknownFee(let id): return "No fee with number \(id) in the registry."
        case .feeAlreadyPaid(let id): return "Fee \(id) is already paid; nothing was recorded."
        case .intentPending(let card, let permit, let act, let intent):
            let what = permit.map { "permit \($0)" } ?? "card \(card)"
            return "Another card act (\(act), intent \(intent)) on \(what) is in hand, or waits for card \(card) to be presented again; nothing was done. Wait until it has finished, or present card \(card) so that it is settled."
        case .unknownIntent(let id): return "No intent with number \(id) in the registry's journal."
        case .intentSettled(let id, let state): return "Intent \(id) was settled already (\(state.rawValue)); nothing was changed."
        case .database(let path, let message): return "The registry \(path) reported an error: \(message)."
        case .exposed(let path, let mode):
            return "The registry file \(path) holds personal data but has mode \(String(mode, radix: 8)), so other users can \(mode & 0o007 != 0 ? "read" : "change") it; nothing was read. Run `chmod 600 \(path)` (or 640 to share it with the station's group)."
        }
    }
}
