import CardEmulator
import CardProfiles
import CardSecurity

/// The issuance sequence of CARD-SPEC §10.1 as a list of steps, so tests can stop after any of them.
extension Terminal {
    struct Step {
        let name: String
        let run: (Terminal) -> UInt16
    }

    /// The steps of §10.1. `pin` nil: a holder without a PIN.
    static func issuanceSteps(profile: CardProfile, pin: String?) -> [Step] {
        func size(_ content: FileContent) -> Int { profile.file(holding: content).structure.capacity }
        var steps: [Step] = [
            Step(name: "SELECT") { $0.select().sw },
            Step(name: "authenticate issuing") { $0.authenticate(.issuingStation) },
            Step(name: "GET DATA") { terminal in
                let reply = terminal.readState()
                terminal.lastState = StateView(reply.data)
                return reply.sw
            },
            Step(name: "PUT KEY endorsing") { $0.putKey(.endorsingStation).sw },
            Step(name: "PUT KEY reading") { $0.putKey(.readingTerminal).sw },
        ]
        if let pin, profile.pin != nil {
            steps.append(Step(name: "CHANGE REFERENCE DATA") { $0.setPIN(pin).sw })
            if profile.pin?.puk != nil { steps.append(Step(name: "CHANGE REFERENCE DATA (PUK)") { $0.setPUK().sw }) }
        }
        steps += [
            Step(name: "UPDATE BINARY EF.CARD") { $0.updateBinary(.cardInfo, offset: 9, Records.cardInfoBody(profile: profile)).sw },
            Step(name: "UPDATE BINARY EF.HOLDER") { $0.updateBinary(.holder, Records.holder(size: size(.holder))).sw },
            Step(name: "UPDATE RECORD EF.RESIDENCE") { $0.updateRecord(.residence, record: 1, Records.residence(sequence: 1)).sw },
            Step(name: "APPEND RECORD EF.STATUS") { terminal in
                // Skipped when an interrupted attempt already wrote it (permit state C3).
                if terminal.lastState.status != nil { return 0x9000 }
                return terminal.appendRecord(.status, Records.status(sequence: 1)).sw
            },
            Step(name: "UPDATE BINARY EF.SOD") { $0.updateBinary(.securityObject, Records.securityObject(size: size(.securityObject))).sw },
            Step(name: "ACTIVATE FILE") { $0.finalise().sw },
        ]
        return steps
    }

    /// Runs the whole issuance; the names of the steps that did not answer 9000.
    @discardableResult
    func issue(pin: String? = "123456") -> [String] {
        Self.issuanceSteps(profile: profile, pin: pin).compactMap { step in
            step.run(self) == 0x9000 ? nil : step.name
        }
    }

    /// Selects the application (ending the session) and parses its FCI (CARD-SPEC §4).
    var fci: ControlInformationView {
        select()
        return lastFCI
    }

    /// Opens a session with the reading key and reads the permit state (the session stays open).
    var state: StateView {
        select()
        precondition(authenticate(.readingTerminal) == 0x9000 || authenticate(.issuingStation) == 0x9000)
        return StateView(readState().data)
    }
}

/// The data objects of the application's FCI (CARD-SPEC §4).
struct ControlInformationView {
    var lifeCycle: UInt8?
    /// EF.CARD bytes 0-27.
    var identity: [UInt8]?
    /// Key number → version.
    var keyVersions: [UInt8: UInt8] = [:]
    let raw: [UInt8]

    init(_ bytes: [UInt8]) {
        raw = bytes
        guard let outer = try? TLV.decodeAll(bytes, what: "FCI"), outer.count == 1, outer[0].tag == [0x6F],
              let inner = try? TLV.decodeAll(outer[0].value, what: "FCI")
        else { return }
        for object in inner {
            switch object.tag {
            case [0x8A]: lifeCycle = object.value.first
            case [0xA5]:
                for item in (try? TLV.decodeAll(object.value, what: "A5")) ?? [] {
                    switch item.tag {
                    case [0xC1]: identity = item.value
                    case [0xC7]:
                        for index in stride(from: 0, to: item.value.count - 1, by: 2) { keyVersions[item.value[index]] = item.value[index + 1] }
                    default: break
                    }
                }
            default: break
            }
        }
    }
}

/// The data objects of the permit state (GET DATA, CARD-SPEC §7.18).
struct StateView {
    var cardInfo: [UInt8]?
    var status: [UInt8]?
    var endorsementCount: UInt8?
    var newestEndorsement: [UInt8]?
    var pinTries: UInt8?

    init(_ bytes: [UInt8]) {
        for object in (try? TLV.decodeAll(bytes, what: "state")) ?? [] {
            switch object.tag {
            case [0xC1]: cardInfo = object.value
            case [0xC3]: status = object.value
            case [0xC5]: endorsementCount = object.value.first
            case [0xC6]: newestEndorsement = object.value
            case [0xC4]: pinTries = object.value.first
            default: break
            }
        }
    }
}

extension Terminal {
    /// A terminal in front of a freshly issued card of `profile` (holder PIN `pin` where the profile has one).
    static func issued(_ name: String, pin: String = "123456", store: CardStateStore? = nil) throws -> Terminal {
        let profile = Fixtures.profile(name)
        let terminal = Terminal(card: try Fixtures.blankCard(profile, store: store), profile: profile)
        let failed = terminal.issue(pin: pin)
        precondition(failed.isEmpty, "issuance failed at \(failed)")
        return terminal
    }

    /// A PIN the profile accepts.
    var validPIN: String { String(repeating: "1", count: profile.pin?.minLength ?? 6) }
}
