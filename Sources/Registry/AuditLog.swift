import Crypto
import Foundation
import GRDB

/// One entry of the audit log: who (token name and role), which act, which card, and how it ended.
public struct AuditRecord: Sendable, Hashable {
    public var actor: String
    public var role: APIRole?
    /// The API operation (`runSweep`) or card act; for a request to no known route, its method and path.
    public var act: String
    /// The card serial, when the act concerns one.
    public var card: String?
    /// The HTTP status and, when refused, the problem's name (`403 forbidden`).
    public var outcome: String
    public var detail: String?

    public init(actor: String, role: APIRole?, act: String, card: String? = nil, outcome: String, detail: String? = nil) {
        self.actor = actor
        self.role = role
        self.act = act
        self.card = card
        self.outcome = outcome
        self.detail = detail
    }
}

/// A stored audit entry. `hash` = SHA-256 of the entry's canonical bytes, which include the previous
/// entry's hash: editing, deleting or reordering entries breaks the chain (docs/STATION.md, "Audit log").
public struct AuditEntry: RegistryRecord, Hashable {
    public static let databaseTableName = "audit_log"
    public var id: Int64?
    /// 1, 2, 3, ... in the order the entries were appended.
    public var sequence: Int64
    public var at: String
    public var actor: String
    public var role: APIRole?
    public var act: String
    public var card: String?
    public var outcome: String
    public var detail: String?
    public var previousHash: Data
    public var hash: Data

    static let genesis = Data(repeating: 0, count: 32)

    /// `sequence` (8 bytes, big-endian), the previous hash (32 bytes), then each text field as a 4-byte
    /// big-endian length and its UTF-8 bytes, FFFFFFFF for an absent one: at, actor, role, act, card,
    /// outcome, detail.
    var canonicalBytes: Data {
        var bytes = Data()
        withUnsafeBytes(of: UInt64(bitPattern: sequence).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(previousHash)
        for field in [at, actor, role?.rawValue, act, card, outcome, detail] {
            guard let field else {
                bytes.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
                continue
            }
            let utf8 = Data(field.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(utf8)
        }
        return bytes
    }

    var computedHash: Data { Data(SHA256.hash(data: canonicalBytes)) }
}

/// What `verifyAudit` found wrong, naming the entries by sequence number.
public enum AuditProblem: Sendable, Hashable, CustomStringConvertible {
    /// The entry's content no longer matches its hash.
    case edited(sequence: Int64)
    /// The entry's link to its predecessor does not match the predecessor's hash: the predecessor was
    /// rewritten (hash recomputed) or replaced.
    case brokenLink(sequence: Int64, previous: Int64)
    /// Entries with these sequence numbers are gone.
    case missing(ClosedRange<Int64>)
    /// The entry is stored after a later one.
    case reordered(sequence: Int64, after: Int64)
    /// Two entries carry the same sequence number.
    case duplicated(sequence: Int64)
    /// The newest entry is not the head noted earlier (entries at the end were removed or replaced).
    case headMismatch(expectedSequence: Int64, found: Int64?)

    public var description: String {
        switch self {
        case .edited(let s): "entry \(s) was edited: its content does not match its hash"
        case .brokenLink(let s, let p): "entry \(s) does not chain to entry \(p): entry \(p) was rewritten or replaced"
        case .missing(let range) where range.count == 1: "entry \(range.lowerBound) was deleted"
        case .missing(let range): "entries \(range.lowerBound) to \(range.upperBound) were deleted"
        case .reordered(let s, let after): "entry \(s) is stored after entry \(after): the log was reordered"
        case .duplicated(let s): "entry \(s) appears twice"
        case .headMismatch(let expected, let found):
            "the log should reach entry \(expected) with the noted hash, but " + (found.map { "its newest entry \($0) differs" } ?? "it is empty")
        }
    }
}

/// The newest entry of the log: its sequence number and hash (hex). Noted elsewhere (a printout, the
/// daemon's journal), it lets `verifyAudit` detect a log cut short at its end.
public struct AuditHead: Sendable, Hashable, CustomStringConvertible {
    public let sequence: Int64
    public let hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash.lowercased()
    }

    /// `SEQUENCE:HASH`, as `permit audit verify` prints it and `--head` reads it.
    public var description: String { "\(sequence):\(hash)" }

    public init?(_ text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let sequence = Int64(parts[0]), sequence > 0, parts[1].count == 64,
              parts[1].allSatisfy(\.isHexDigit) else { return nil }
        self.init(sequence: sequence, hash: String(parts[1]))
    }
}

/// The result of checking the whole chain.
public struct AuditVerification: Sendable, Hashable {
    public let entries: Int
    public let head: AuditHead?
    public let problems: [AuditProblem]
    public var isIntact: Bool { problems.isEmpty }
}

extension Registry {
    /// Appends one entry, chained to the newest, in its own transaction.
    @discardableResult
    public func appendAudit(_ record: AuditRecord) throws(RegistryError) -> AuditEntry {
        try write(actor: record.actor) { db, context in try Self.appendAudit(record, db: db, at: context.recordedAt) }
    }

    /// Appends inside a write that is already open (a card operation records its act and its audit entry together).
    static func appendAudit(_ record: AuditRecord, db: Database, at: String) throws -> AuditEntry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM audit_log ORDER BY id DESC LIMIT 1"))
        var entry = AuditEntry(
            id: nil, sequence: (last?["sequence"] as Int64? ?? 0) + 1, at: at, actor: record.actor, role: record.role,
            act: record.act, card: record.card, outcome: record.outcome, detail: record.detail,
            previousHash: last?["hash"] ?? AuditEntry.genesis, hash: Data())
        entry.hash = entry.computedHash
        try entry.insert(db)
        return entry
    }

    /// The newest entries, newest first.
    public func auditEntries(limit: Int = 100) throws(RegistryError) -> [AuditEntry] {
        try read { db in try AuditEntry.order(Column("id").desc).limit(limit).fetchAll(db) }
    }

    /// The number of entries and the newest one's sequence and hash (hex).
    public func auditHead() throws(RegistryError) -> (entries: Int, head: AuditHead?) {
        try read { db in
            let count = try AuditEntry.fetchCount(db)
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            return (count, last.map { AuditHead(sequence: $0["sequence"], hash: ($0["hash"] as Data).hexString) })
        }
    }

    /// Checks every entry's hash, the sequence (none missing, none out of order) and every link. With
    /// `expectedHead` (a sequence and hash noted earlier), a log cut short at its end is detected too.
    public func verifyAudit(expectedHead: AuditHead? = nil) throws(RegistryError) -> AuditVerification {
        try read { db in
            var problems: [AuditProblem] = []
            var bySequence: [Int64: AuditEntry] = [:]
            var highest: Int64 = 0
            var newest: AuditEntry?
            let cursor = try AuditEntry.order(Column("id")).fetchCursor(db)
            var count = 0
            while let entry = try cursor.next() {
                count += 1
                if entry.computedHash != entry.hash { problems.append(.edited(sequence: entry.sequence)) }
                if bySequence[entry.sequence] != nil {
                    problems.append(.duplicated(sequence: entry.sequence))
                } else {
                    bySequence[entry.sequence] = entry
                }
                if entry.sequence < highest { problems.append(.reordered(sequence: entry.sequence, after: highest)) }
                highest = max(highest, entry.sequence)
                newest = entry
            }
            var previous: AuditEntry?
            var expected: Int64 = 1
            for sequence in bySequence.keys.sorted() {
                let entry = bySequence[sequence]!
                if sequence > expected { problems.append(.missing(expected...(sequence - 1))) }
                if let previous, sequence == previous.sequence + 1, entry.previousHash != previous.hash {
                    problems.append(.brokenLink(sequence: sequence, previous: previous.sequence))
                } else if sequence == 1, entry.previousHash != AuditEntry.genesis, !problems.contains(.edited(sequence: 1)) {
                    problems.append(.edited(sequence: 1))
                }
                previous = entry
                expected = sequence + 1
            }
            if let expectedHead {
                let noted = bySequence[expectedHead.sequence]
                if noted?.hash.hexString != expectedHead.hash {
                    problems.append(.headMismatch(expectedSequence: expectedHead.sequence, found: newest?.sequence))
                }
            }
            return AuditVerification(entries: count, head: newest.map { AuditHead(sequence: $0.sequence, hash: $0.hash.hexString) }, problems: problems)
        }
    }
}

extension Data {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
