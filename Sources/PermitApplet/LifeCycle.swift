import CardProfiles

/// The application DF's life-cycle status byte (ISO/IEC 7816-4 LCS, FCI tag `8A`; CARD-SPEC §3).
public enum LifeCycleStatus: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Created by card initialisation; personalisation under way or interrupted. Never a valid permit card.
    case personalisation = 0x03
    /// FINALISE succeeded: all data present, personalisation-only rights closed.
    case operational = 0x05

    /// The access-rule phase of the profile that applies in this status.
    public var phase: CardPhase {
        switch self {
        case .personalisation: .personalisation
        case .operational: .operational
        }
    }

    public var description: String {
        switch self {
        case .personalisation: "personalisation (LCS 03: incomplete)"
        case .operational: "operational (LCS 05)"
        }
    }
}
