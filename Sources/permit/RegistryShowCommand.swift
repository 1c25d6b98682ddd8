import ArgumentParser
import Lifecycle
import Registry

struct RegistryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a permit and its full history, by card serial, ID number or permit number.")
    @OptionGroup var options: RegistryOptions
    @Option(help: "Card serial.") var serial: String?
    @Option(help: "Holder's 18-character ID number.") var idNumber: String?
    @Option(help: "Permit number.") var permit: Int64?

    func validate() throws {
        guard [serial != nil, idNumber != nil, permit != nil].filter({ $0 }).count == 1 else {
            throw ValidationError("Give exactly one of --serial, --id-number, --permit.")
        }
    }

    func run() throws {
        let registry = try options.open()
        var ids: [Int64] = []
        if let serial {
            guard let found = try registry.lookup(serial: serial) else { throw RegistryError.unknownSerial(serial) }
            if !found.isCurrentCard { print("Card \(serial) was REPLACED on \(found.card.replacedOn!): it must fail verification.") }
            ids = [found.permit.id!]
        } else if let idNumber {
            ids = try registry.permits(idNumber: idNumber).map { $0.id! }
            if ids.isEmpty { throw CommandError("No permit for ID number \(idNumber) in \(registry.path); check the number, or import the application first.") }
        } else if let permit {
            ids = [permit]
        }
        let policies = try options.policies()
        for id in ids {
            let details = try registry.details(permit: id)
            print(RegistryShowCommand.describe(details, policy: policies[details.permit.profile], on: try options.date(nil, policies: policies)))
        }
    }

    static func describe(_ d: PermitDetails, policy: RegionPolicy?, on today: CalendarDate? = nil) -> String {
        let p = d.permit
        var lines = ["Permit \(p.id!) (\(p.profile)) of \(d.holder.name), ID \(d.holder.idNumber)"]
        lines.append("  status \(p.status) since \(p.statusOn); issued \(p.issuedOn); residence since \(p.residenceSinceOn)")
        if let policy {
            lines.append("  expiry \(p.expiryOn); window \(p.state.windowOpens(policy)) to \(p.expiryOn)")
            if let today { lines.append(String(format: "  residence years on %@: %.1f", today.description, d.residenceYears(on: today, policy: policy))) }
        }
        lines.append("  next: " + (p.nextOn.map { "\(p.nextStatus!) on \($0)" } ?? "none scheduled"))
        lines.append("  address \(p.address)" + (p.workplace.map { "; workplace \($0)" } ?? "")
                     + "; points " + (p.pointsActive ? "granted, valid through \(p.pointsValidUntil.map(\.description) ?? "?")" : "none valid"))
        let a = d.application
        lines.append("  application \(a.id!): accepted \(a.acceptedOn), deadline \(a.deadlineOn), grounds \(a.grounds.rawValue)"
                     + (a.talentException ? " (talent exception)" : "")
                     + (a.residenceRegisteredOn.map { ", residence registered \($0)" } ?? "") + ", documents \(a.documents)")
        for t in d.temporaryPermits { lines.append("  temporary permit \(t.fromOn) to \(t.toOn), issued by \(t.issuedBy)") }
        for c in d.cards { lines.append("  card \(c.serial) issued \(c.issuedOn)" + (c.replacedOn.map { ", replaced \($0)" } ?? ", current")) }
        for r in d.replacementApplications {
            lines.append("  \(r.kind.rawValue) application \(r.id!): accepted \(r.acceptedOn), deadline \(r.deadlineOn)"
                         + (d.cardReplacements.contains { $0.applicationId == r.id } ? ", card issued" : ", card not issued yet"))
        }
        for e in d.endorsements { lines.append("  endorsed \(e.endorsedOn) (\(e.class.rawValue)) → expiry \(e.expiryAfter), by \(e.actor) at \(e.station)") }
        for r in d.refusals { lines.append("  endorsement REFUSED \(r.refusedOn) (不予签注: no longer \(r.lostGrounds.rawValue)): \(r.reason); decided by \(r.decidedBy)") }
        for a in d.addressChanges {
            lines.append("  \(a.kind.rawValue) moved \(a.movedOn), reported \(a.reportedOn)" + (a.deadlineOn.map { ", deadline \($0)" } ?? "")
                         + "\(a.late ? " LATE" : ""): \(a.oldAddress) → \(a.newAddress)")
        }
        for s in d.statusChanges {
            lines.append("  \(s.effectiveOn) \(s.fromStatus?.rawValue ?? "-") → \(s.toStatus) (\(s.reason)) by \(s.actor) at \(s.station), tx \(s.transactionId.prefix(8)), \(s.recordedAt)")
        }
        if let c = d.cancellation { lines.append("  cancellation determined: \(c.reason.rawValue) from \(c.effectiveOn), decided by \(c.decidedBy)" + (c.note.isEmpty ? "" : " (\(c.note))")) }
        for e in d.pointsEvents { lines.append("  points \(e.kind.rawValue) \(e.effectiveOn) (\(e.cause))" + (e.validUntil.map { ", valid through \($0)" } ?? "")) }
        for f in d.fees {
            lines.append("  fee \(f.fee.id!) (\(f.fee.act.rawValue)) due \(f.fee.dueOn): "
                         + (f.payment.map { "paid \($0.paidOn), \($0.amountFen) fen, receipt \($0.receipt)" } ?? "NOT PAID"))
        }
        for r in d.migrationReviews { lines.append("  REVIEW (\(r.migration)): \(r.note)") }
        return lines.joined(separator: "\n")
    }
}
