import GRDB

/// The station daemon's tables, in migrations of their own, registered after the registry's.
extension RegistrySchema {
    static let stationVersions = ["v4-station-daemon"]

    static func registerStationMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-station-daemon") { db in try db.execute(sql: v4StationDaemon) }
    }

    /// API tokens (only their SHA-256 is kept), the hash-chained audit log of every API request and card
    /// operation, the daily sweep's runs (so a missed day is seen on start) and the status lists exported.
    static let v4StationDaemon = """
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('officer', 'kiosk', 'verifier')),
        hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        revoked_at TEXT,
        revoked_by TEXT,
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
    );
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        sequence INTEGER NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT,
        act TEXT NOT NULL,
        card TEXT,
        outcome TEXT NOT NULL,
        detail TEXT,
        previous_hash BLOB NOT NULL,
        hash BLOB NOT NULL
    );
    \(appendOnly("audit_log"))
    CREATE TABLE sweep_runs (
        id INTEGER PRIMARY KEY,
        through_on INTEGER NOT NULL,
        trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'startup', 'officer')),
        actor TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('running', 'completed', 'stopped', 'failed')),
        message TEXT,
        transitions INTEGER NOT NULL DEFAULT 0,
        permits INTEGER NOT NULL DEFAULT 0,
        suspensions INTEGER NOT NULL DEFAULT 0,
        cancellations INTEGER NOT NULL DEFAULT 0,
        windows_opened INTEGER NOT NULL DEFAULT 0,
        points_lapses INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE status_lists (
        id INTEGER PRIMARY KEY,
        sequence INTEGER NOT NULL UNIQUE CHECK (sequence > 0),
        issued_on INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        path TEXT NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    \(appendOnly("status_lists"))
    """
}
