import ApplicationData
import Foundation
import Synchronization
import GRDB
import Lifecycle

/// The station's registry: one SQLite file in WAL mode, foreign keys on, schema by `RegistrySchema`.
///
/// Every write runs in one transaction that either commits whole or leaves nothing; every change
/// to a permit's current row is paired with a history row stamped with actor, station, transaction
/// id and time. A second process writing the same file makes writes wait up to `busyTimeout`
/// seconds, then fail with `RegistryError.busy` (nothing written).
public final class Registry: Sendable {
    public let path: String
    public let station: String
    let pool: DatabasePool
    let policies: [String: RegionPolicy]
    let busyTimeout: Double
    /// The station's calendar: the instant stamped on history rows (`recorded_at`), and today, after which
    /// nothing is recorded (an event, an application, a sweep).
    let calendar: StationCalendar
    /// The context of the write transaction in hand (set only on the pool's writer, inside a write).
    let activeWrite = Mutex<WriteContext?>(nil)

    /// Opens (creating if needed) and migrates the registry at `path`.
    /// - Parameters:
    ///   - policies: region policy by profile name, for every profile the registry's permits use.
    ///   - calendar: the station's calendar (the system clock in production; a test clock for tests and benchmarks).
    public init(path: String, station: String, policies: [String: RegionPolicy],
                busyTimeout: Double = 5, calendar: StationCalendar) throws(RegistryError) {
        self.path = path
        self.station = station
        self.policies = policies
        self.busyTimeout = busyTimeout
        self.calendar = calendar
        let clock = calendar.instantText
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "registry"
        // 64 MiB of page cache per connection (SQLite's default is 2 MiB): the interior pages of the
        // due, serial and ID indexes of a provincial registry stay in memory (docs/BENCHMARKS.md).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA mmap_size = 2147418112") }
        try RegistryFile.prepare(path)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw .busy(path: path, waitedSeconds: busyTimeout)
        } catch {
            throw .cannotOpen(path: path, reason: Self.message(error))
        }
        let migrator = RegistrySchema.migrator(policies: policies, clock: clock)
        try Self.mapping(path: path, busyTimeout: busyTimeout) {
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(RegistrySchema.versions)
            }
            guard unknown.isEmpty else { throw RegistryError.schemaTooNew(path: path, unknown: unknown.sorted()) }
            try migrator.migrate(pool)
        }
    }

    /// The migrations applied to this file, oldest first.
    public func appliedMigrations() throws(RegistryError) -> [String] {
        try read { db in try RegistrySchema.migrator().appliedMigrations(db) }
    }

    func policy(for profile: String) throws(RegistryError) -> RegionPolicy {
        guard let policy = policies[profile] else { throw .unknownProfile(profile, known: policies.keys.sorted()) }
        return policy
    }

    /// Who, where and which transaction: stamped on the history rows a write adds.
    struct WriteContext: Sendable {
        let actor: String
        let station: String
        let transactionId: String
        let recordedAt: String
    }

    /// Refuses `day` (of `field`) if it is after today on the station's calendar: nothing is recorded in advance.
    func requireHappened(_ day: CalendarDate, field: String) throws(RegistryError) {
        do throws(FieldProblem) { try ApplicationCheck.happened(day, today: calendar.today, field: field) } catch {
            throw .application(error)
        }
    }

    /// One write transaction; a thrown error rolls it back. A write called inside another one (an act recorded
    /// in the transaction that settles its intent) joins it, in a savepoint, with the outer write's context.
    /// - Parameters:
    ///   - station: the station the rows name, when another station made the act (a card-side endorsement
    ///     recorded on presentation); default this registry's.
    ///   - rollingBack: run `body` and roll back whatever it wrote (a dry run: what it would refuse, it refuses).
    func write<T>(actor: String, station: String? = nil, rollingBack: Bool = false,
                  _ body: (Database, WriteContext) throws -> T) throws(RegistryError) -> T {
        try Self.mapping(path: path, busyTimeout: busyTimeout) {
            try pool.unsafeReentrantWrite { db in
                var result: T?
                if db.isInsideTransaction, let outer = activeWrite.withLock({ $0 }) {
                    try db.inSavepoint {
                        result = try body(db, outer)
                        return .commit
                    }
                    return result!
                }
                let context = WriteContext(actor: actor, station: station ?? self.station, transactionId: UUID().uuidString, recordedAt: calendar.instantText())
                activeWrite.withLock { $0 = context }
                defer { activeWrite.withLock { $0 = nil } }
                try db.inTransaction(.immediate) {
                    result = try body(db, context)
                    return rollingBack ? .rollback : .commit
                }
                return result!
            }
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(RegistryError) -> T {
        try Self.mapping(path: path, busyTimeout: busyTimeout) { try pool.read(body) }
    }

    /// Turns SQLite's errors into ones an operator understands; registry errors pass through.
    static func mapping<T>(path: String, busyTimeout: Double, _ body: () throws -> T) throws(RegistryError) -> T {
        do {
            return try body()
        } catch let error as RegistryError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw .busy(path: path, waitedSeconds: busyTimeout)
        } catch {
            throw .database(path: path, message: message(error))
        }
    }

    static func message(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? error.description }
        return String(describing: error)
    }
}
