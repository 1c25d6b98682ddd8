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
            print(RegistryShowCommand.describe(details, policy: policies[details.permit.profile]))
        }
    }

    static func describe(_ d: PermitDetails, policy: RegionPolicy?) -> String {
        let p = d.permit
        var lines = ["Permit \(p.id!) (\(p.profile)) of \(d.holder.name), ID \(d.holder.idNumber)"]
        lines.append("  status \(p.status) since \(p.statusOn); issued \(p.issuedOn); residence since \(p.anchorOn)")
        if let policy { lines.append("  expiry \(p.state.expiry(policy)); window \(p.state.windowOpens(policy)) to \(p.state.expiry(policy))") }
        lines.append("  next: " + (p.nextOn.map { "\(p.nextStatus!) on \($0)" } ?? "none scheduled"))
        lines.append("  address \(p.address); points \(p.pointsActive ? "valid" : "not valid")")
        lines.append("  application \(d.application.id!): accepted \(d.application.acceptedOn), grounds \(d.application.grounds.rawValue), documents \(d.application.documents)")
        for c in d.cards { lines.append("  card \(c.serial) issued \(c.issuedOn)" + (c.replacedOn.map { ", replaced \($0)" } ?? ", current")) }
        for e in d.endorsements { lines.append("  endorsed \(e.endorsedOn) (\(e.class.rawValue)) → expiry \(e.expiryAfter), by \(e.actor) at \(e.station)") }
        for a in d.addressChanges { lines.append("  moved \(a.movedOn), reported \(a.reportedOn)\(a.late ? " LATE" : ""): \(a.oldAddress) → \(a.newAddress)") }
        for s in d.statusChanges {
            lines.append("  \(s.effectiveOn) \(s.fromStatus?.rawValue ?? "-") → \(s.toStatus) (\(s.reason)) by \(s.actor) at \(s.station), tx \(s.transactionId.prefix(8)), \(s.recordedAt)")
        }
        for e in d.pointsEvents { lines.append("  points \(e.kind.rawValue) \(e.effectiveOn) (\(e.cause))") }
        return lines.joined(separator: "\n")
    }
}
