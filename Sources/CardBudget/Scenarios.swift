import CardProfiles
import Lifecycle
import PermitCard
import Synchronization

/// The operations of CARD-SPEC §10 as scenarios. Endorsement k of a card falls on 10 February of
/// 2026 + k, inside each year's window of a permit issued on 2026-03-01.
extension CardScenario {
    typealias Authority = ScenarioAuthority

    static let issued = CalendarDate(year: 2026, month: 3, day: 1)!

    /// A PIN the profile accepts (6 digits in Zhejiang, 4 in Inner Mongolia).
    static func pin(_ profile: CardProfile) -> String? {
        profile.pin.map { String("123456789".prefix($0.minLength)) }
    }

    /// Issues the card; `puk`, when given, keeps the holder's PUK the issuance printed for the PIN letter.
    static func issueStep(_ profile: CardProfile, puk: PUKNote? = nil) -> Step {
        Step(role: .desk) { card in
            let result = try await card.with(clock: Authority.on(2026, 3, 1)).issue(IssueRequest(holder: Authority.holder, address: Authority.address, issued: issued, pin: pin(profile)))
            try expect(result.serial == serial && !result.resumed, "issued \(result.serial), resumed \(result.resumed)")
            try expect((result.puk != nil) == (profile.pin?.puk != nil && pin(profile) != nil), "a PUK \(result.puk == nil ? "missing" : "where the profile has none")")
            puk?.code.withLock { $0 = result.puk }
        }
    }

    static func endorsementStep(_ number: Int, profile: CardProfile) -> Step {
        Step(role: .kiosk) { card in
            let needsPIN = PermitCard.endorsementNeedsPIN(by: .endorsingStation, profile: profile)
            let record = try await card.with(clock: Authority.on(2026 + number, 2, 10)).endorse(pin: needsPIN ? pin(profile) : nil)
            try expect(record.number == number && record.endorsementClass == .timely, "endorsement \(record.number), \(record.endorsementClass)")
        }
    }

    /// Issue with the holder PIN (§10.1).
    public static func issue(
        _ profile: CardProfile, name: String = "issue (with PIN)", minimum: String = "14"
    ) -> CardScenario {
        CardScenario(
            name: name, operation: .issue, profile: profile, minimum: minimum, setup: [], act: issueStep(profile),
            check: Step(role: .verifier) { card in
                let phase = try await card.inspect().phase
                try expect(phase == .issued, "the card is \(phase) after issuance")
            })
    }

    /// A field officer's full verification of a card holding `endorsements` endorsements (§10.2).
    public static func verify(_ profile: CardProfile, endorsements: Int = 2) -> CardScenario {
        CardScenario(
            name: "verify (full, \(endorsements) endorsements)", operation: .verify, profile: profile, minimum: "8",
            setup: [issueStep(profile)] + (0..<endorsements).map { endorsementStep($0 + 1, profile: profile) },
            act: Step(role: .verifierOn(CalendarDate(year: 2026 + endorsements, month: endorsements == 0 ? 6 : 2, day: 11)!)) { card in
                let (_, report) = try await card.with(clock: Authority.on(2026 + endorsements, endorsements == 0 ? 6 : 2, 11)).verify()
                try expect(report.passed, "verification failed: \(report.failures)")
            }, check: nil)
    }

    /// The permit's status from the card, inside a chip-authenticated session (no status without one).
    public static func statusCheck(_ profile: CardProfile) -> CardScenario {
        CardScenario(
            name: "status only (chip-authenticated)", operation: .statusCheck, profile: profile,
            minimum: "4: select, chip authentication, role authentication, GET DATA", setup: [issueStep(profile)],
            act: Step(role: .verifier) { card in
                let status = try await card.status()
                try expect(status.status.newest?.change == .issued && status.status.recorded == .inForce, "the card is \(status.status.summary)")
            }, check: nil)
    }

    /// A kiosk's timely endorsement of a card already holding `endorsements` (§10.3), with the holder PIN
    /// where the profile's rule needs it.
    public static func endorse(_ profile: CardProfile, endorsements: Int = 2, name: String = "endorse (kiosk)") -> CardScenario {
        CardScenario(
            name: name, operation: .endorse, profile: profile,
            minimum: PermitCard.endorsementNeedsPIN(by: .endorsingStation, profile: profile) ? "6" : "5",
            setup: [issueStep(profile)] + (0..<endorsements).map { endorsementStep($0 + 1, profile: profile) },
            act: endorsementStep(endorsements + 1, profile: profile), check: nil)
    }

    /// An address change into the other slot (§10.4).
    public static func changeAddress(_ profile: CardProfile) -> CardScenario {
        CardScenario(
            name: "change address", operation: .changeAddress, profile: profile, minimum: "5 trusting the registry for the current slot, 6 from the card alone",
            setup: [issueStep(profile)],
            act: Step(role: .desk) { card in
                let moved = ResidenceAddress(district: .district("330106")!, text: "浙江省杭州市西湖区文三路1号", since: issued)
                let record = try await card.with(clock: Authority.on(2026, 8, 1)).changeAddress(to: moved)
                try expect(record.sequence == 2 && record.address == moved.text, "residence record \(record.sequence)")
            }, check: nil)
    }

    /// One status change of §10.5, from the state it applies to.
    public static func statusChange(_ change: StatusChange, _ profile: CardProfile) -> CardScenario {
        var setup = [issueStep(profile)]
        if change == .restored { setup.append(Step(role: .desk) { _ = try await $0.with(clock: Authority.on(2026, 7, 1)).suspend() }) }
        let sequence = setup.count + 1
        let name = switch change {
        case .suspendedByOfficer, .suspendedOverdue: "suspend"
        case .restored: "restore"
        case .cancelled: "cancel"
        case .replaced: "void (replaced)"
        case .issued: "issued"
        }
        return CardScenario(
            name: name, operation: .statusChange, profile: profile, minimum: "4 trusting the registry, 5 from the card alone", setup: setup,
            act: Step(role: .desk) { card in
                let record = try await card.with(clock: Authority.on(2026, 8, 1)).changeStatus(change)
                try expect(record.change == change && record.sequence == sequence, "status record \(record.sequence): \(record.change.summary)")
            }, check: nil)
    }

    /// The holder's PUK unblocks the PIN with a new one at an issuing desk, after a wrong try (§10.7).
    public static func unblockPIN(_ profile: CardProfile) -> CardScenario {
        let newPIN = String("987654321".prefix(profile.pin?.minLength ?? 6))
        let puk = PUKNote()
        return CardScenario(
            name: "unblock PIN (holder's PUK, new PIN)", operation: .unblockPIN, profile: profile, minimum: "4",
            setup: [issueStep(profile, puk: puk), Step(role: .kiosk) { card in
                do {
                    try await card.verifyPIN(String(repeating: "0", count: profile.pin?.minLength ?? 6))
                    throw ScenarioFailure("a wrong PIN was accepted")
                } catch PermitCardError.wrongPIN {}
            }],
            act: Step(role: .desk) { card in
                guard let code = puk.code.withLock({ $0 }) else { throw ScenarioFailure("the issuance gave no PUK") }
                try await card.unblockPIN(puk: code, newPIN: newPIN)
            },
            check: Step(role: .kiosk) { card in
                let tries = try await card.pinTriesLeft()
                try expect(tries == profile.pin?.retryLimit, "\(tries.map(String.init) ?? "no") PIN tries left after unblocking")
                try await card.verifyPIN(newPIN)
            })
    }

    /// The rows of docs/BENCHMARKS.md ("Card operations") and CARD-SPEC §11: every operation on a
    /// `zhejiang` card with two endorsements, with short APDUs only, and `innerMongolia`'s endorsement with the PIN.
    public static func table(zhejiang: CardProfile, innerMongolia: CardProfile) -> [CardScenario] {
        var short = zhejiang
        short.apdu = APDULimits(extendedLength: false, maxCommandData: 255, maxResponseData: 256)
        return [
            issue(zhejiang), issue(short, name: "issue, short APDUs only", minimum: "14 + 7 more chunks of EF.HOLDER and EF.SOD"), verify(zhejiang), statusCheck(zhejiang),
            endorse(zhejiang), endorse(innerMongolia, name: "endorse with PIN (inner-mongolia)"), changeAddress(zhejiang),
            statusChange(.suspendedByOfficer, zhejiang), statusChange(.restored, zhejiang), statusChange(.cancelled(.localHukou), zhejiang),
            statusChange(.replaced(.damaged), zhejiang), unblockPIN(zhejiang),
        ]
    }
}

/// The holder's PUK as the scenario's issuance printed it, for a later step to type in.
final class PUKNote: Sendable {
    let code = Mutex<String?>(nil)
}
