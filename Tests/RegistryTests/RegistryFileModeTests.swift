import Foundation
import Registry
import Testing
import TestPrograms

/// Issue 14 finding 9: `permit registry init` created the registry (names, citizen IDs, addresses) with
/// mode 0644, and its -wal/-shm files likewise, so every local user could read every holder.
@Suite("Registry file permissions")
struct RegistryFileModeTests {
    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func theRegistryAndItsWALAndSHMAreCreatedPrivate() throws {
        let test = try TestRegistry()
        try test.issue(1, on: d("2026-03-01"))
        for file in [test.path, test.path + "-wal", test.path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) is not there while the registry is open")
            #expect(try Self.mode(file) == 0o600, "\(file)")
        }
    }

    @Test func anExistingRegistryOthersCanReadIsRefusedAndTheGroupMayRead() async throws {
        let directory = ScratchDirectory.make("registry-mode")
        let db = directory.appendingPathComponent("station.sqlite").path
        #expect(try await permit(["registry", "init", "--db", db]).status == 0)
        #expect(try Self.mode(db) == 0o600)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)
        let refused = try await permit(["registry", "due", "--db", db, "--on", "2026-06-01"])
        #expect(refused.status == 1)
        #expect(refused.errors.contains("The registry file \(db) holds personal data but has mode 644, so other users can read it; nothing was read. Run `chmod 600 \(db)`"), "\(refused.errors)")
        #expect(!refused.errors.contains("Usage:"))

        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: db)
        let shared = try await permit(["registry", "due", "--db", db, "--on", "2026-06-01"])
        #expect(shared.status == 0, "\(shared.errors)")
    }
}
