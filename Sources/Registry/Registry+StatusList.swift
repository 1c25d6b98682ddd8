import Crypto
import Foundation
import GRDB
import Lifecycle

/// A card a field verifier must not take as in force, as the registry knows it: the status list's entries
/// before they are put in the card's codes (`permit registry status-list`).
public struct ListedCard: Sendable, Hashable {
    public enum Standing: Sendable, Hashable {
        /// Another card replaced it.
        case replaced(ReplacementReason)
        /// Its permit is cancelled.
        case cancelled(CancellationReason)
        /// Its permit is suspended (not endorsed by its expiry), or due for cancellation.
        case suspended
    }

    public let serial: String
    public let standing: Standing
    /// The day the standing took effect.
    public let since: CalendarDate
}

/// One status list exported (`status_lists`).
public struct StatusListExport: RegistryRecord, Hashable {
    public static let databaseTableName = "status_lists"
    public var id: Int64?
    /// Raised with every list, so a verifier can refuse an older one.
    public var sequence: Int64
    public var issuedOn: CalendarDate
    public var entries: Int
    /// SHA-256 (hex) of the signed list as written.
    public var sha256: String
    public var path: String
    public var actor: String
    public var station: String
    public var transactionId: String
    public var recordedAt: String
}

extension Registry {
    /// Every card not in force: replaced cards, and the current cards of cancelled and of suspended (or due for
    /// cancellation) permits, by serial.
    public func listedCards() throws(RegistryError) -> [ListedCard] {
        try read { db in
            var listed: [ListedCard] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT c.serial, r.cause, r.replaced_on FROM card_replacements r JOIN cards c ON c.id = r.old_card_id ORDER BY c.serial
                """) {
                guard let cause = ReplacementReason(rawValue: row[1]) else { continue }
                listed.append(ListedCard(serial: row[0], standing: .replaced(cause), since: row[2]))
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT c.serial, p.status, p.status_on, p.cancel_reason, p.cancelled_on FROM permits p
                JOIN cards c ON c.permit_id = p.id AND c.replaced_on IS NULL
                WHERE p.status IN ('suspended', 'cancellationDue', 'cancelled') ORDER BY c.serial
                """) {
                let status: PermitStatus? = PermitStatus(rawValue: row[1])
                if status == .cancelled {
                    let reason = (row[3] as String?).flatMap(CancellationReason.init(rawValue:)) ?? .otherLegalGround
                    listed.append(ListedCard(serial: row[0], standing: .cancelled(reason), since: row[4] ?? row[2]))
                } else {
                    listed.append(ListedCard(serial: row[0], standing: .suspended, since: row[2]))
                }
            }
            return listed
        }
    }

    /// The sequence number the next status list takes: one more than the last exported.
    public func nextStatusListSequence() throws(RegistryError) -> Int64 {
        try read { db in (try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM status_lists") ?? 0) + 1 }
    }

    /// Records a status list exported: its sequence, day, count, the SHA-256 of the `signed` bytes written, and where.
    @discardableResult
    public func recordStatusList(sequence: Int64, issuedOn: CalendarDate, entries: Int, signed: Data, path: String,
                                 actor: String) throws(RegistryError) -> StatusListExport {
        let digest = SHA256.hash(data: signed).map { String(format: "%02x", $0) }.joined()
        return try write(actor: actor) { db, context in
            var row = StatusListExport(id: nil, sequence: sequence, issuedOn: issuedOn, entries: entries, sha256: digest, path: path,
                                       actor: context.actor, station: context.station, transactionId: context.transactionId,
                                       recordedAt: context.recordedAt)
            try row.insert(db)
            return row
        }
    }
}
