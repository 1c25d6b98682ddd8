import CardSecurity
import Foundation
import PermitCard
import Registry
import Station
import StationAPIModel

/// The card acts' values as the API document's schemas. A kiosk sees the card's status and dates only: not
/// the holder's particulars, not the registry's view.
extension APIHandler {
    static func view(_ presented: Presentation, for role: APIRole?) -> Components.Schemas.CardView {
        let reading = presented.reading
        let permit = try? reading.permitState(policy: presented.profile.policy)
        let checks = presented.report.verdicts.map { entry in
            Components.Schemas.CardView.ChecksPayloadPayload(check: entry.check.rawValue, passed: entry.verdict.isPassed, reason: entry.verdict.failure)
        }
        let valid = presented.report.verdicts.allSatisfy { $0.check == .statusList || $0.verdict.isPassed }
        let personal = role != .kiosk
        let registered = presented.registered.map { lookup in
            Components.Schemas.RegistryView(permit: lookup.permit.id ?? 0, status: schema(lookup.permit.status), expiry: lookup.permit.expiryOn.description,
                                            current: lookup.isCurrentCard)
        }
        let holder = (try? reading.holder()).map { Components.Schemas.HolderView(name: $0.name, citizenID: $0.citizenID.text) }
        return .init(
            serial: presented.serial, profile: presented.profile.name, issued: reading.isComplete, valid: reading.isComplete && valid,
            status: presented.cardStatus.map(schema), expiry: permit?.expiry(presented.profile.policy).description, endorsements: reading.state?.endorsementCount ?? 0,
            checks: checks, registry: personal ? registered : nil, holder: personal ? holder : nil)
    }

    static func result(_ outcome: StationActs.Outcome, for role: APIRole?) -> Components.Schemas.ActResult {
        .init(act: outcome.act, card: outcome.serial, permit: outcome.permit, intent: outcome.intent, summary: outcome.summary,
              view: view(outcome.presentation, for: role), cardMilliseconds: milliseconds(outcome.cardTime),
              daemonMilliseconds: milliseconds(outcome.totalTime - outcome.cardTime))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

extension Verdict {
    /// The reason of a failed check; nil when it passed.
    var failure: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }
}
