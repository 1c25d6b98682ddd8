import CardEmulator
import CardProfiles

/// The grant names the application keeps in the emulator's security state, and the translation of the
/// profile's access rules into the emulator's access conditions (CARD-SPEC §13): a key name `K` becomes
/// the grant held after EXTERNAL AUTHENTICATE with `K`, `pin` the grant held after VERIFY; every write
/// rule also needs `sm` (the command arrived under a verified MAC), and each alternative needs the grant
/// of its life-cycle phase, so that one stored condition carries both phases of the profile's rule.
enum Grant {
    /// Held for one command that arrived under a verified secure-messaging MAC.
    static let secureMessaging = "sm"
    /// Held after a successful VERIFY of the holder PIN in the current session.
    static let pin = "pin"

    /// Held after a successful EXTERNAL AUTHENTICATE with the profile key `name`.
    static func key(_ name: String) -> String { "key." + name }

    /// Held for every command while the application is in `phase`.
    static func phase(_ phase: CardPhase) -> String { "phase." + phase.rawValue }
}

extension CardEmulator.AccessCondition {
    /// The emulator's condition for a profile rule, both phases in one condition.
    init(_ rule: AccessRule, isWrite: Bool) {
        var alternatives: [Set<String>] = []
        for phase in CardPhase.allCases {
            for credentials in rule[phase].alternatives {
                var grants: Set<String> = [Grant.phase(phase)]
                if isWrite { grants.insert(Grant.secureMessaging) }
                for credential in credentials {
                    switch credential {
                    case .key(let name): grants.insert(Grant.key(name))
                    case .pin: grants.insert(Grant.pin)
                    }
                }
                alternatives.append(grants)
            }
        }
        self.init(anyOf: alternatives)
    }
}

extension ApplicationCommand {
    /// Whether the command writes to the card (its rule then also names `sm`, which every command in a
    /// protocol-v2 session holds).
    var isWrite: Bool { self != .readState }
}
