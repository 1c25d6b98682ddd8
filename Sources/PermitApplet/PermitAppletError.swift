import CardEmulator
import CardSecurity

/// Why a permit card could not be created or loaded. Descriptions say what was wrong and what to do,
/// and never contain key material.
public enum PermitAppletError: Error, CustomStringConvertible {
    /// The profile asks for something this application cannot run (an unimplemented suite, a file without SFI).
    case unsupportedProfile(profile: String, reason: String)
    /// The profile's ATR is not a valid ISO/IEC 7816-3 answer-to-reset.
    case invalidATR(profile: String, reason: String)
    /// The master keys or the derivation of a card key failed (wrong suite, wrong length).
    case keyDerivation(profile: String, reason: String)
    /// The card's state file cannot be read or written.
    case stateFile(CardStateStoreError)
    /// The state file holds a card that is not of this profile (no application with its AID).
    case stateOfAnotherCard(path: String, profile: String)
    /// The state file holds a state no card of this application could be in.
    case impossibleState(path: String, ImpossibleState)

    public var description: String {
        switch self {
        case .unsupportedProfile(let profile, let reason):
            "The card profile \(profile) cannot be emulated: \(reason). Use a profile the application supports."
        case .invalidATR(let profile, let reason):
            "The card profile \(profile) has an invalid ATR (\(reason)); correct card.atr in the profile."
        case .keyDerivation(let profile, let reason):
            "Cannot derive the card keys of profile \(profile): \(reason)"
        case .stateFile(let error):
            error.description
        case .stateOfAnotherCard(let path, let profile):
            "The card state file \(path) holds a card without the \(profile) application; remove it or give the profile it was created with."
        case .impossibleState(let path, let state):
            "The card state file \(path) holds a state no card can be in: \(state.entry) is \"\(state.value)\", but \(state.problem). Correct that entry or remove the file to start a blank card."
        }
    }
}
