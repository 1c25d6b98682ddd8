import CardSecurity
import CardProfiles
import Foundation
import Lifecycle
import PermitCard

/// The output of `permit card read|verify`: what the card holds and one line per check, for people
/// or as JSON. Never contains key material.
struct CardReport {
    let profile: CardProfile
    let reading: CardReading
    let report: VerificationReport

    /// The permit as the rules read it from the card, its card status, and its endorsements, when they decode.
    private var permit: (state: PermitState, status: CardStatus, endorsements: Int)? {
        guard let state = try? reading.permitState(policy: profile.policy), let status = try? reading.status(),
              let endorsements = try? reading.endorsements() else { return nil }
        return (state, status, endorsements.count)
    }

    var text: String {
        var lines = ["Card \(reading.serial) (\(profile.name)): \(reading.isComplete ? "issued" : "INCOMPLETE (personalisation not finalised)")"]
        if let holder = try? reading.holder() {
            lines.append("Holder:    \(holder.name)\(holder.latinName.map { " (\($0))" } ?? ""), citizen ID \(holder.citizenID), permit \(holder.permitNumber)")
        }
        if let residence = try? reading.currentResidence() {
            let record = residence.record
            lines.append("Residence: \(record.address) (district \(record.district)), registered since \(record.registeredSince); record \(record.sequence)")
        }
        if let (state, status, endorsements) = permit {
            lines.append("Permit:    issued \(state.issued), residence period from \(state.residenceSince), valid until \(state.expiry(profile.policy)); \(status.summary); \(endorsements) endorsement(s)")
        }
        if let replaced = (try? reading.cardInfo())?.personalisation?.replaces {
            lines.append("Replaces:  card \(replaced)")
        }
        lines.append("Checks:")
        for (check, verdict) in report.verdicts {
            lines.append("  \(check.title.padding(toLength: 20, withPad: " ", startingAt: 0)) \(verdict)")
        }
        lines.append("Status list: \(report.statusList.map(\.description) ?? "none carried")")
        lines.append(report.passed ? "Verdict: VALID" : "Verdict: NOT VALID (\(report.failures.count) check(s) failed)")
        return lines.joined(separator: "\n")
    }

    var json: String {
        var object: [String: Any] = [
            "serial": reading.serial.description, "profile": profile.name, "complete": reading.isComplete, "valid": report.passed,
            "checks": report.verdicts.map { entry -> [String: Any] in
                var item: [String: Any] = ["check": entry.check.rawValue, "passed": entry.verdict.isPassed]
                if case .failed(let reason) = entry.verdict { item["reason"] = reason }
                return item
            },
        ]
        if let list = report.statusList {
            object["statusList"] = [
                "sequence": list.sequence, "issued": list.issuedOn.description, "ageDays": list.ageDays, "maxAgeDays": list.maxAgeDays,
            ]
        }
        if let holder = try? reading.holder() {
            object["holder"] = [
                "name": holder.name, "latinName": holder.latinName as Any, "sex": holder.sex, "birthDate": holder.birthDate.description,
                "citizenID": holder.citizenID.text, "permitNumber": holder.permitNumber, "issuingAuthority": holder.issuingAuthority,
            ].compactMapValues { $0 is NSNull ? nil : $0 }
        }
        if let residence = try? reading.currentResidence() {
            object["residence"] = [
                "address": residence.record.address, "district": residence.record.district.digits,
                "since": residence.record.registeredSince.description, "sequence": residence.record.sequence,
            ]
        }
        if let (state, status, endorsements) = permit {
            object["permit"] = [
                "issued": state.issued.description, "anchor": state.residenceSince.description, "expiry": state.expiry(profile.policy).description,
                "status": status.summary, "endorsements": endorsements,
            ]
        }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// One line (or JSON object) saying what a write did.
enum CardOutcome {
    static func print(_ fields: [String: String], json: Bool, text: String) {
        if json {
            let data = try! JSONSerialization.data(withJSONObject: fields, options: [.prettyPrinted, .sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            Swift.print(text)
        }
    }
}
