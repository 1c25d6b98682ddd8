import GRDB
import Lifecycle

/// The registry's schema as versioned migrations. A migration is never edited once released:
/// change the schema by appending a new one (docs/REGISTRY.md lists them).
///
/// Dates are stored as day numbers (days since 1970-01-01, `CalendarDate.dayNumber`): three bytes
/// instead of ten, and comparisons in the due index are integer comparisons. In `sqlite3`,
/// `date(col * 86400, 'unixepoch')` shows them as ISO dates.
public enum RegistrySchema {
    /// Names of the migrations, oldest first.
    public static let versions = ["v1", "v2-points", "v3-application-holder"] + stationVersions + ["v5-seed-rules"] + actsVersions

    /// The migrations. `v5-seed-rules` re-reads every permit's recorded events under the corrected rules, so it
    /// needs the region policies of the file's profiles and the clock that stamps the rows it appends.
    public static func migrator(policies: [String: RegionPolicy] = [:], clock: @escaping @Sendable () -> String = { "" }) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: v1) }
        migrator.registerMigration("v2-points") { db in try db.execute(sql: v2Points) }
        migrator.registerMigration("v3-application-holder") { db in
            // Finds a holder's applications, so an import run twice recognises rows it already took.
            try db.execute(sql: "CREATE INDEX applications_holder ON applications(holder_id, accepted_on)")
        }
        registerStationMigrations(in: &migrator)
        migrator.registerMigration("v5-seed-rules") { db in
            try db.execute(sql: v5SeedRules)
            try SeedRulesMigration(policies: policies, recordedAt: clock()).run(db)
        }
        registerActsMigrations(in: &migrator)
        return migrator
    }

    /// Holders, applications, permits, cards and their append-only histories.
    ///
    /// A permit's status changes form a chain (`permits.last_change_id` → `status_changes.previous_id` → …)
    /// instead of being found through an index on `permit_id`: the sweep then appends each change
    /// without touching a secondary index of the largest history table, which keeps its cost flat as
    /// the registry grows (docs/BENCHMARKS.md).
    static let v1 = """
    CREATE TABLE holders (
        id INTEGER PRIMARY KEY,
        id_number TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL
    );
    CREATE TABLE applications (
        id INTEGER PRIMARY KEY,
        holder_id INTEGER NOT NULL REFERENCES holders(id),
        profile TEXT NOT NULL,
        accepted_on INTEGER NOT NULL,
        grounds TEXT NOT NULL CHECK (grounds IN ('job', 'home', 'study')),
        documents TEXT NOT NULL,
        address TEXT NOT NULL,
        deadline_on INTEGER NOT NULL,
        actor TEXT NOT NULL,
        station TEXT NOT NULL,
        transaction_id TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX applications_deadline ON applications(deadline_on);
    CREATE TABLE permits (
        id INTEGER PRIMARY KEY,
        application_id INTEGER NOT NULL UNIQUE REFERENCES applications(id),
        holder_id INTEGER NOT NULL REFERENCES holders(id),
        profile TEXT NOT NULL,
        issued_on INTEGER NOT NULL,
        anchor_on INTEGER NOT NULL,
        renewals INTEGER NOT NULL CHECK (renewals >= 0),
        cancelled_on INTEGER,
        cancel_reason TEXT,
        status TEXT NOT NULL CHECK (status IN ('inForce', 'windowOpen', 'suspended', 'cancelled')),
        status_on INTEGER NOT NULL,
        next_on INTEGER,
        next_status TEXT,
        address TEXT NOT NULL,
        last_event_on INTEGER NOT NULL,
        last_change_id INTEGER REFERENCES status_changes(id),
        CHECK ((next_on IS NULL) = (next_status IS NULL)),
        CHECK ((cancelled_on IS NULL) = (cancel_reason IS NULL))
    );
    CREATE INDEX permits_holder ON permits(holder_id);
    CREATE INDEX permits_due ON permits(next_on) WHERE next_on IS NOT NULL;
    CREATE TABLE cards (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL REFERENCES permits(id),
        serial TEXT NOT NULL UNIQUE,
        issued_on INTEGER NOT NULL,
        replaced_on INTEGER
    );
    CREATE INDEX cards_permit ON cards(permit_id);
    CREATE TABLE card_replacements (
        id INTEGER PRIMARY KEY,
        old_card_id INTEGER NOT NULL UNIQUE REFERENCES cards(id),
        new_card_id INTEGER NOT NULL UNIQUE REFERENCES cards(id),
        replaced_on INTEGER NOT NULL,
        cause TEXT NOT NULL CHECK (cause IN ('lost', 'damaged')),
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE TABLE endorsements (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL REFERENCES permits(id),
        endorsed_on INTEGER NOT NULL,
        class TEXT NOT NULL CHECK (class IN ('timely', 'lateContinuous', 'lateReset')),
        expiry_after INTEGER NOT NULL,
        anchor_after INTEGER NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE INDEX endorsements_permit ON endorsements(permit_id);
    CREATE TABLE address_changes (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL REFERENCES permits(id),
        moved_on INTEGER NOT NULL,
        reported_on INTEGER NOT NULL,
        old_address TEXT NOT NULL,
        new_address TEXT NOT NULL,
        late INTEGER NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE INDEX address_changes_permit ON address_changes(permit_id);
    CREATE TABLE status_changes (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL REFERENCES permits(id),
        previous_id INTEGER REFERENCES status_changes(id),
        from_status TEXT,
        to_status TEXT NOT NULL,
        reason TEXT NOT NULL,
        effective_on INTEGER NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    \(appendOnly("card_replacements"))
    \(appendOnly("endorsements"))
    \(appendOnly("address_changes"))
    \(appendOnly("status_changes"))
    \(appendOnly("applications"))
    """

    /// Residence points (Tongxiang): whether a permit's points are valid, and their append-only history.
    /// Points lapse when the permit is suspended or cancelled and must be applied for again after a restore.
    static let v2Points = """
    ALTER TABLE permits ADD COLUMN points_active INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE points_events (
        id INTEGER PRIMARY KEY,
        permit_id INTEGER NOT NULL REFERENCES permits(id),
        kind TEXT NOT NULL CHECK (kind IN ('granted', 'lapsed')),
        effective_on INTEGER NOT NULL,
        cause TEXT NOT NULL,
        actor TEXT NOT NULL, station TEXT NOT NULL, transaction_id TEXT NOT NULL, recorded_at TEXT NOT NULL
    );
    CREATE INDEX points_events_permit ON points_events(permit_id);
    \(appendOnly("points_events"))
    """

    /// History tables refuse UPDATE and DELETE inside SQLite itself, whoever writes to the file.
    static func appendOnly(_ table: String) -> String {
        """
        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
            BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
        """
    }
}
