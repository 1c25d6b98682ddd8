import CardSecurity
import Foundation
import Lifecycle
import PermitCard
import Registry

/// What the reconciliation of a presented card found and did; each is one event on the stream and one entry
/// in the audit log.
public struct Reconciliation: Sendable {
    public enum Finding: Sendable, Hashable {
        /// A pending intent of this card settled (applied, redone or abandoned).
        case settled(String)
        /// What the registry holds and the card lacked, now written to the card.
        case written(String)
        /// What the card holds and the registry lacked (signed by another station of the same authority), now recorded.
        case recorded(String)
        /// Card and registry agree.
        case inStep(String)
        /// A card this registry does not know, verified offline.
        case unknownCard(String)
        /// A disagreement nothing can settle by itself: reported, nothing written.
        case alert(String)
        /// A blank or unfinished card: nothing to reconcile.
        case notIssued(String)

        public var kind: String {
            switch self {
            case .settled: "settled"
            case .written: "written"
            case .recorded: "recorded"
            case .inStep: "inStep"
            case .unknownCard: "unknownCard"
            case .alert: "alert"
            case .notIssued: "notIssued"
            }
        }

        public var sentence: String {
            switch self {
            case .settled(let s), .written(let s), .recorded(let s), .inStep(let s), .unknownCard(let s), .alert(let s), .notIssued(let s): s
            }
        }
    }

    public let serial: String?
    public let findings: [Finding]
    /// The card as it is after the reconciliation (nil when it could not be read).
    public let presentation: Presentation?
}

extension StationActs {
    /// Brings a presented card and the registry in step (BRIEF §1 item 5): settles the card's pending intent;
    /// records endorsements and address changes the card holds and the registry lacks, when another station of
    /// the same authority signed them; writes to the card the suspension, cancellation or replacement the
    /// registry holds and the card lacks; reports an unknown card as verified offline, and any disagreement
    /// (the holder's data, a copy, a record the rules cannot place) as an alert, writing nothing.
    public func reconcile(_ card: PermitCard, agent: Agent = .daemon, progress: @escaping Progress = { _ in }) async -> Reconciliation {
        let (card, _) = prepared(card)
        var findings: [Reconciliation.Finding] = []
        var presented: Presentation
        do {
            await progress(.reading)
            presented = try await present(card)
        } catch {
            return Reconciliation(serial: nil, findings: [.alert("the card could not be read: \(error)")], presentation: nil)
        }
        do {
            let settled = try await settlePending(on: card, presented: presented, agent: agent, progress: progress)
            if let finding = settled.finding { findings.append(.settled(finding)) }
            presented = settled.presentation
            findings += try await bringInStep(card, presented: &presented, agent: agent, progress: progress)
        } catch {
            findings.append(.alert("card \(presented.serial): \(error)"))
        }
        if findings.isEmpty { findings.append(.inStep("card \(presented.serial) and the registry agree")) }
        await audit(findings, serial: presented.serial, agent: agent)
        return Reconciliation(serial: presented.serial, findings: findings, presentation: presented)
    }

    private func bringInStep(_ card: PermitCard, presented: inout Presentation, agent: Agent,
                             progress: @escaping Progress) async throws(StationActError) -> [Reconciliation.Finding] {
        let serial = presented.serial
        guard presented.reading.isComplete else { return [.notIssued("card \(serial) is not issued (blank or unfinished)")] }
        guard let registered = presented.registered else {
            let failures = presented.report.failures.map { "\($0.check.title): \($0.reason)" }
            let verdict = failures.isEmpty ? "every check passed" : "failed: " + failures.joined(separator: "; ")
            return [.unknownCard("card \(serial) is not in this registry; verified offline, \(verdict)")]
        }
        guard presented.chipProved else {
            return [.alert("card \(serial) failed chip authentication (\(presented.report[.chipAuthentication].map { "\($0)" } ?? "no answer")): it may be a copy; nothing was written")]
        }
        if let disagreement = presented.holderDisagreement {
            return [.alert("card \(serial): \(disagreement); nothing was written. Check the holder's documents")]
        }
        var findings: [Reconciliation.Finding] = []
        if presented.replacement == nil {
            findings += try await recordCardSide(presented, registered, agent: agent)
            if !findings.isEmpty {
                presented = try await looked(up: presented.reading, report: presented.report, profile: presented.profile, today: presented.today)
            }
        }
        guard let lookup = presented.registered else { return findings }
        if let write = statusToWrite(presented, lookup) {
            let (_, summary, after) = try await journaled(write, on: card, before: presented.snapshot, pin: nil, agent: agent, progress: progress)
            presented = after
            findings.append(.written("card \(serial): \(summary)"))
        } else if let disagreement = statusDisagreement(presented, lookup) {
            findings.append(.alert("card \(serial): \(disagreement); nothing was written"))
        }
        return findings
    }

    /// The status record the registry holds and the card lacks: this card replaced, the permit cancelled, or
    /// suspended (not endorsed by its expiry), or in force again while the card shows it suspended.
    func statusToWrite(_ presented: Presentation, _ lookup: CardLookup) -> CardWrite? {
        guard let recorded = presented.reading.recordedStatus, !recorded.isFinal else { return nil }
        let permit = lookup.permit.id ?? 0
        if let replaced = presented.replacement {
            return .status(permit: permit, .void(replaced.cause))
        }
        switch lookup.permit.status {
        case .cancelled:
            return .status(permit: permit, .cancellation(lookup.permit.cancelReason ?? .otherLegalGround))
        case .suspended, .cancellationDue:
            return recorded == .inForce ? .status(permit: permit, .suspension) : nil
        case .inForce, .windowOpen:
            return recorded == .suspended ? .status(permit: permit, .restoration) : nil
        }
    }

    /// A card that records more than the registry (a final status the registry does not hold).
    func statusDisagreement(_ presented: Presentation, _ lookup: CardLookup) -> String? {
        guard let recorded = presented.reading.recordedStatus, recorded.isFinal else { return nil }
        if recorded == .replaced && lookup.card.replacedOn == nil { return "the card records itself replaced, the registry holds it current" }
        if recorded == .cancelled && lookup.permit.status != .cancelled { return "the card records the permit cancelled, the registry holds it \(lookup.permit.status)" }
        return nil
    }

    /// Records the endorsements and the address change the card holds and the registry lacks, each with the
    /// station that signed it, when its signature chains to this station's authority.
    private func recordCardSide(_ presented: Presentation, _ lookup: CardLookup, agent: Agent) async throws(StationActError) -> [Reconciliation.Finding] {
        let permit = lookup.permit.id ?? 0
        let serial = presented.serial
        let details = try await inRegistry { registry throws(RegistryError) in try registry.details(permit: permit) }
        var findings: [Reconciliation.Finding] = []
        let known = Set(details.endorsements.map(\.endorsedOn))
        let missing = ((try? presented.reading.endorsements()) ?? []).filter { !known.contains($0.endorsedOn) }
        if !missing.isEmpty {
            guard presented.report[.endorsements]?.isPassed == true else {
                return [.alert("card \(serial) holds endorsements the registry lacks, but they do not verify (\(presented.report[.endorsements].map { "\($0)" } ?? "")); nothing was recorded")]
            }
            for record in missing {
                let station = record.station.digits
                let audit = agent.audit("recordEndorsement", card: serial, outcome: "recorded", detail: "endorsed on \(record.endorsedOn) by station \(station)")
                do {
                    _ = try await registry.run { registry throws(RegistryError) in
                        try registry.record(audit: audit, station: station) { () throws(RegistryError) in
                            try registry.endorse(permit: permit, on: record.endorsedOn, actor: agent.name)
                        }
                    }
                    findings.append(.recorded("card \(serial): endorsement of \(record.endorsedOn) by station \(station) recorded"))
                } catch {
                    findings.append(.alert("card \(serial) holds an endorsement of \(record.endorsedOn) by station \(station) the registry cannot record (\(error)); an officer must correct the registry"))
                }
            }
        }
        if let current = try? presented.reading.currentResidence()?.record, current.address != lookup.permit.address {
            if let newer = details.addressChanges.last(where: { $0.kind == .residence }), newer.reportedOn > current.writtenOn {
                return findings + [.alert("card \(serial) holds an older address than the registry's change of \(newer.reportedOn); write it to the card (`permit address`)")]
            }
            guard presented.report[.residence]?.isPassed == true else {
                return findings + [.alert("card \(serial) holds an address the registry lacks, but it does not verify; nothing was recorded")]
            }
            let station = current.station.digits
            let audit = agent.audit("recordAddressChange", card: serial, outcome: "recorded", detail: "address written on \(current.writtenOn) by station \(station)")
            do {
                _ = try await registry.run { registry throws(RegistryError) in
                    try registry.record(audit: audit, station: station) { () throws(RegistryError) in
                        let change = try registry.changeAddress(permit: permit, movedOn: current.registeredSince, reportedOn: current.writtenOn,
                                                                to: current.address, actor: agent.name)
                        try registry.recordDistrict(current.district.digits, of: change)
                    }
                }
                findings.append(.recorded("card \(serial): address change of \(current.writtenOn) by station \(station) recorded"))
            } catch {
                findings.append(.alert("card \(serial) holds an address written on \(current.writtenOn) by station \(station) the registry cannot record (\(error)); an officer must correct the registry"))
            }
        }
        return findings
    }

    /// One audit entry per finding that writes nothing itself (written and recorded ones have theirs).
    private func audit(_ findings: [Reconciliation.Finding], serial: String, agent: Agent) async {
        for finding in findings {
            switch finding {
            case .inStep, .unknownCard, .alert, .notIssued:
                let entry = agent.audit("reconcile", card: serial, outcome: finding.kind, detail: finding.sentence)
                _ = try? await registry.run { registry throws(RegistryError) in try registry.appendAudit(entry) }
            case .settled, .written, .recorded:
                break
            }
        }
    }
}
