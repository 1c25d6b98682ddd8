import CardProfiles
import CardSecurity
import Lifecycle

/// What SELECT alone tells about a card (1 APDU, no session): which card and how far its issuance got.
/// Nothing about the permit: that is read inside a session (`status()`).
public struct CardInspection: Sendable {
    public enum Phase: Sendable, Hashable {
        /// Initialised by the card bureau, nothing personalised: ready to issue.
        case blank
        /// Personalisation started but not finalised: never valid; resume or restart the issuance.
        case incomplete
        /// Finalised: a permit card.
        case issued
    }

    public let serial: CardSerial
    public let phase: Phase
    public let fci: ApplicationFCI
}

/// The permit's status as the card holds it, read inside a chip-authenticated session with a role
/// (CARD-SPEC §10.2, "status only"): the chip proved itself and the card proved it holds the role key.
public struct StatusReading: Sendable {
    public let serial: CardSerial
    /// The permit as the rules see it (dates, a recorded cancellation).
    public let permit: PermitState
    /// The card's newest status record, with its station's signature, and whether a late endorsement lifted it.
    public let status: CardStatus
    public let pinTriesLeft: Int?
}

extension PermitCard {
    /// Recognises the card: product (ATR, AID), serial, phase of issuance.
    public func inspect() async throws(PermitCardError) -> CardInspection {
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.select()
            return CardInspection(serial: fci.serial, phase: Self.phase(of: fci, profile: profile), fci: fci)
        }
    }

    /// The permit's status from the card itself (4 APDUs): SELECT, chip authentication, role authentication,
    /// GET DATA. There is no status without a session: a replayed FCI says nothing about the permit.
    public func status() async throws(PermitCardError) -> StatusReading {
        try await withSession { session throws(PermitCardError) in
            let fci = try await session.open(try readingRole(for: "read the permit's status"), terminal: terminal, for: "read the permit's status")
            guard fci.isOperational else { throw .cardIncomplete(serial: fci.serial) }
            let state = try await session.readState()
            do throws(CardDataError) {
                return StatusReading(
                    serial: fci.serial, permit: try state.permitState(policy: profile.policy), status: try state.status(),
                    pinTriesLeft: state.pinTriesLeft)
            } catch { throw .malformedCard(error) }
        }
    }

    /// Issued (LCS 05); incomplete when personalisation wrote EF.CARD or loaded a key other than the
    /// issuing station's; blank otherwise.
    static func phase(of fci: ApplicationFCI, profile: CardProfile) -> CardInspection.Phase {
        if fci.isOperational { return .issued }
        let issuing = profile.key(for: .issuingStation)?.number
        let otherKeys = fci.keyVersions.keys.contains { $0 != issuing }
        return fci.suite != nil || otherKeys ? .incomplete : .blank
    }
}
