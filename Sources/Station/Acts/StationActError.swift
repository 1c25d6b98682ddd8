import PermitCard
import Registry

/// Why a station act was refused or did not finish: one sentence saying what, where and what to do, and the
/// kind of refusal, which the API turns into its status (404, 409, 422, 403, 503).
public struct StationActError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No such application, permit, card or reader.
        case notFound
        /// Another act holds the permit or the reader, or the card and the registry are not in step.
        case conflict
        /// The rules, the card or the data refuse it.
        case unprocessable
        /// This station's keys or deployment role do not allow it.
        case forbidden
        /// The card, the reader or the registry did not answer; the act may be settled later.
        case unavailable
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func registry(_ error: RegistryError) -> StationActError {
        switch error {
        case .unknownPermit, .unknownApplication, .unknownSerial, .unknownIntent: StationActError(.notFound, error.description)
        case .intentPending, .applicationAlreadyIssued, .serialInUse, .holderHasPermit, .intentSettled: StationActError(.conflict, error.description)
        case .busy, .database, .cannotOpen, .exposed, .schemaTooNew: StationActError(.unavailable, error.description)
        default: StationActError(.unprocessable, error.description)
        }
    }

    static func card(_ error: PermitCardError) -> StationActError {
        switch error {
        case .communication, .secureMessagingRejected, .security, .unusableProfile: StationActError(.unavailable, error.description)
        case .alreadyIssued, .wrongCard: StationActError(.conflict, error.description)
        case .roleNotHeld: StationActError(.forbidden, error.description)
        default: StationActError(.unprocessable, error.description)
        }
    }
}
