import CardEmulator
import CardProfiles
import CardSecurity

/// A state file is the card's memory: a card could never be in a state this application would not
/// have written. Loading refuses such a state, naming the entry of the file (`applet["pin.tries"]`) and
/// why, instead of running a card that answers nonsense (a retry counter of 255 against a limit of 3, a
/// chip key of zeros that makes chip authentication fail).
extension PermitApplet {
    /// Every entry of the application's memory that `state` holds, checked against the profile.
    func checkMemory(of state: CardState) throws(PermitAppletError.ImpossibleState) {
        for (name, bytes) in state.appletData {
            func refuse(_ problem: String) -> PermitAppletError.ImpossibleState {
                .init(entry: "applet[\"\(name)\"]", value: bytes.hexString, problem: problem)
            }
            switch name {
            case "lcs":
                guard bytes.count == 1, LifeCycleStatus(rawValue: bytes[0]) != nil else {
                    throw refuse("a life-cycle status is 03 (personalisation) or 05 (operational)")
                }
            case "pin":
                guard let policy = profile.pin else { throw refuse("the \(profile.name) profile has no holder PIN") }
                guard (policy.minLength...policy.maxLength).contains(bytes.count), bytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
                    throw refuse("a holder PIN is \(policy.minLength) to \(policy.maxLength) ASCII digits")
                }
            case "pin.tries":
                guard let policy = profile.pin else { throw refuse("the \(profile.name) profile has no holder PIN") }
                guard bytes.count == 1, Int(bytes[0]) <= policy.retryLimit else {
                    throw refuse("the tries left are one byte from 00 to the profile's limit of \(policy.retryLimit)")
                }
            case "puk":
                guard let policy = profile.pin?.puk else { throw refuse("the \(profile.name) profile has no PUK") }
                guard bytes.count == policy.length, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
                    throw refuse("a PUK is \(policy.length) ASCII digits")
                }
            case "puk.tries":
                guard let policy = profile.pin?.puk else { throw refuse("the \(profile.name) profile has no PUK") }
                guard bytes.count == 1, Int(bytes[0]) <= policy.retryLimit else {
                    throw refuse("the PUK tries left are one byte from 00 to the profile's limit of \(policy.retryLimit)")
                }
            case "chip-key":
                guard (try? AgreementKey(rawRepresentation: bytes, suite: layout.suite)) != nil else {
                    throw refuse("a chip key is a P-256 private key: 32 bytes between 1 and the curve's order minus 1")
                }
            case let key where key.hasPrefix("key."):
                guard let number = Int(key.dropFirst(4)), profile.keys.contains(where: { $0.number == number }) else {
                    throw refuse("the \(profile.name) profile has no key with that number")
                }
                guard bytes.count == 1 + CardKey.length else { throw refuse("a role key is its version byte and \(CardKey.length) key bytes") }
            default:
                throw refuse("the permit application keeps no such entry")
            }
        }
    }
}

extension PermitAppletError {
    /// An entry of the application's memory the card could never have written.
    public struct ImpossibleState: Error, Sendable, Equatable {
        /// The entry's JSON path in the state file.
        public let entry: String
        public let value: String
        public let problem: String
    }
}
