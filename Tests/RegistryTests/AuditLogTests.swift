import Foundation
import GRDB
import Registry
import Testing

/// The audit log's hash chain: an intact log verifies, and each kind of tampering done with plain SQL
/// (as someone editing the file would) is found and named by sequence number.
@Suite("audit log chain")
struct AuditLogTests {
    /// A registry holding five entries, and a raw connection with the append-only triggers dropped.
    static func tampered(_ sql: String) throws -> AuditVerification {
        let test = try TestRegistry()
        for n in 1...5 {
            try test.registry.appendAudit(AuditRecord(actor: "desk \(n)", role: .officer, act: "getStatus", card: n == 3 ? "5A4A000000000001" : nil, outcome: "200"))
        }
        #expect(try test.registry.verifyAudit().isIntact)
        let raw = try DatabaseQueue(path: test.path)
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
            try db.execute(sql: sql)
        }
        return try test.registry.verifyAudit()
    }

    @Test func intactLogVerifiesAndGivesItsHead() throws {
        let test = try TestRegistry()
        let empty = try test.registry.verifyAudit()
        #expect(empty.isIntact && empty.entries == 0 && empty.head == nil)
        let first = try test.registry.appendAudit(AuditRecord(actor: "desk 1", role: .officer, act: "runSweep", outcome: "200"))
        let second = try test.registry.appendAudit(AuditRecord(actor: "-", role: nil, act: "GET /nowhere", outcome: "401 not-authenticated"))
        #expect(first.sequence == 1 && second.sequence == 2)
        let result = try test.registry.verifyAudit()
        #expect(result.isIntact && result.entries == 2)
        #expect(result.head?.sequence == 2 && result.head?.hash.count == 64)
        #expect(try test.registry.auditHead().head == result.head)
        #expect(try test.registry.verifyAudit(expectedHead: result.head).isIntact)
    }

    @Test func theTableRefusesUpdatesAndDeletes() throws {
        let test = try TestRegistry()
        try test.registry.appendAudit(AuditRecord(actor: "desk 1", role: .officer, act: "getStatus", outcome: "200"))
        let raw = try DatabaseQueue(path: test.path)
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'x'") } }
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: "DELETE FROM audit_log") } }
    }

    @Test func anEditedEntryIsNamed() throws {
        let result = try Self.tampered("UPDATE audit_log SET outcome = '403 forbidden' WHERE sequence = 3")
        #expect(result.problems == [.edited(sequence: 3)])
        #expect(result.problems[0].description == "entry 3 was edited: its content does not match its hash")
    }

    @Test func anEntryRewrittenWithItsHashRecomputedBreaksTheNextLink() throws {
        // Rewriting entry 2 and giving it a fresh (valid-looking) hash still leaves entry 3 pointing at the old one.
        let result = try Self.tampered("UPDATE audit_log SET hash = randomblob(32) WHERE sequence = 2")
        #expect(result.problems.contains(.brokenLink(sequence: 3, previous: 2)))
        #expect(result.problems.contains(.edited(sequence: 2)))
    }

    @Test func aDeletedEntryIsNamed() throws {
        let result = try Self.tampered("DELETE FROM audit_log WHERE sequence = 4")
        #expect(result.problems == [.missing(4...4)])
        #expect(result.problems[0].description == "entry 4 was deleted")
    }

    @Test func reorderedEntriesAreNamed() throws {
        // Swap the rows of entries 2 and 3 (contents and all): the stored order no longer follows the sequence.
        let result = try Self.tampered("""
            UPDATE audit_log SET id = 100 WHERE sequence = 2;
            UPDATE audit_log SET id = 2 WHERE sequence = 3;
            UPDATE audit_log SET id = 3 WHERE sequence = 2;
            """)
        #expect(result.problems == [.reordered(sequence: 2, after: 3)])
    }

    @Test func entriesCutFromTheEndAreFoundAgainstANotedHead() throws {
        let test = try TestRegistry()
        for n in 1...3 { try test.registry.appendAudit(AuditRecord(actor: "desk \(n)", role: .verifier, act: "listReaders", outcome: "200")) }
        let head = try #require(try test.registry.verifyAudit().head)
        try DatabaseQueue(path: test.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE sequence = 3")
        }
        #expect(try test.registry.verifyAudit().isIntact, "without a noted head, a cut end cannot be seen")
        #expect(try test.registry.verifyAudit(expectedHead: head).problems == [.headMismatch(expectedSequence: 3, found: 2)])
    }

    @Test func tokensAreStoredHashedAndRevocable() throws {
        let test = try TestRegistry()
        let (token, secret) = try test.registry.createToken(name: "desk 1", role: .officer, actor: "admin")
        #expect(secret.hasPrefix("pst_") && secret.count == 47)
        #expect(token.hash.count == 32 && !token.hash.elementsEqual(Data(secret.utf8)))
        let stored = try DatabaseQueue(path: test.path).read { try Data.fetchAll($0, sql: "SELECT hash FROM api_tokens") }
        #expect(stored == [token.hash])
        #expect(try test.registry.authenticate(secret: secret)?.name == "desk 1")
        #expect(try test.registry.authenticate(secret: secret + "x") == nil)
        #expect(throws: RegistryError.tokenNameInUse("desk 1")) { try test.registry.createToken(name: "desk 1", role: .kiosk, actor: "admin") }
        try test.registry.revokeToken(name: "desk 1", actor: "admin")
        #expect(try test.registry.authenticate(secret: secret) == nil)
        #expect(throws: RegistryError.tokenRevoked("desk 1")) { try test.registry.revokeToken(name: "desk 1", actor: "admin") }
        #expect(throws: RegistryError.unknownToken("desk 9")) { try test.registry.revokeToken(name: "desk 9", actor: "admin") }
    }
}
