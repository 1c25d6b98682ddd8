import Foundation
import GRDB

/// What a generated registry holds: rows per table and bytes on disk, per permit.
struct RegistryComposition {
    let bytes: Int
    let rows: [(table: String, count: Int)]

    var holders: Int { count("holders") }
    var permits: Int { count("permits") }
    var cards: Int { count("cards") }

    func count(_ table: String) -> Int { rows.first { $0.table == table }?.count ?? 0 }

    init(path: String) throws {
        bytes = ["", "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: path + $0)[.size] as? Int }.reduce(0, +)
        rows = try DatabaseQueue(path: path).read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name
                """)
            return try tables.map { ($0, try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0) }
        }
    }

    var report: String {
        let perPermit = rows.filter { $0.count > 0 }.map { String(format: "%@ %.2f", $0.table, Double($0.count) / Double(max(1, permits))) }
        return String(format: "file %.1f MiB, %.0f bytes per permit; %d holders, %d permits (%.2f per holder), %d cards\nrows per permit: ",
                      Double(bytes) / 1_048_576, Double(bytes) / Double(max(1, permits)), holders, permits,
                      Double(permits) / Double(max(1, holders)), cards) + perPermit.joined(separator: ", ")
    }
}
