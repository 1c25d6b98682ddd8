import GRDB

/// The station's card acts: the intent journal that keeps cards and the registry in step, and what an
/// application needs besides the registry's own columns for its card to be issued (docs/STATION.md, "Card acts").
extension RegistrySchema {
    static let actsVersions = ["v6-card-acts"]

    static func registerActsMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-card-acts") { db in try db.execute(sql: v6CardActs) }
    }

    /// `card_intents`: one row before the first APDU of every card write, naming the card, the act, its
    /// parameters and the card state expected after it; settled (applied, redone, abandoned) in the
    /// transaction that records the act. At most one pending intent per card and per permit: the unique
    /// indexes are the lock that makes a second act on the same permit fail at once (HTTP 409).
    ///
    /// `application_card_data`: the holder's particulars the card carries and the registry's application row
    /// does not (sex, Latin name, ethnic group, household address), the district of the address, and the
    /// holder's photo with its SHA-256, which the card's EF.HOLDER tag `8A` carries.
    ///
    /// `address_districts`: the GB/T 2260 district of a residence address a card was given (the registry's
    /// `address_changes` keep the text only).
    static let v6CardActs = """
    CREATE TABLE card_intents (
        id INTEGER PRIMARY KEY,
        card_serial TEXT NOT NULL,
        permit_id INTEGER REFERENCES permits(id),
        application_id INTEGER REFERENCES applications(id),
        act TEXT NOT NULL,
        parameters TEXT NOT NULL,
        before TEXT NOT NULL,
        expected TEXT NOT NULL,
        opened_on INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'applied', 'redone', 'abandoned')),
        reason TEXT,
        opened_at TEXT NOT NULL,
        settled_at TEXT,
        actor TEXT NOT NULL,
        station TEXT NOT NULL,
        CHECK ((state = 'pending') = (settled_at IS NULL))
    );
    CREATE UNIQUE INDEX card_intents_pending_card ON card_intents(card_serial) WHERE state = 'pending';
    CREATE UNIQUE INDEX card_intents_pending_permit ON card_intents(permit_id) WHERE state = 'pending';
    CREATE TRIGGER card_intents_settled_once BEFORE UPDATE ON card_intents WHEN OLD.state != 'pending'
        BEGIN SELECT RAISE(ABORT, 'a settled intent is final'); END;
    CREATE TRIGGER card_intents_no_delete BEFORE DELETE ON card_intents
        BEGIN SELECT RAISE(ABORT, 'card_intents is append-only'); END;

    CREATE TABLE application_card_data (
        id INTEGER PRIMARY KEY REFERENCES applications(id),
        sex TEXT NOT NULL CHECK (sex IN ('0', '1', '2', '9')),
        latin_name TEXT,
        ethnic_group TEXT,
        household_address TEXT,
        district TEXT NOT NULL CHECK (length(district) = 6),
        photo BLOB NOT NULL,
        photo_type TEXT NOT NULL,
        photo_sha256 BLOB NOT NULL CHECK (length(photo_sha256) = 32)
    );
    \(appendOnly("application_card_data"))

    CREATE TABLE address_districts (
        id INTEGER PRIMARY KEY REFERENCES address_changes(id),
        district TEXT NOT NULL CHECK (length(district) = 6)
    );
    \(appendOnly("address_districts"))
    """
}
