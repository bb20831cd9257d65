import GRDB

/// The catalog's schema, as a list of migrations. A shipped migration is never edited: changes go in a
/// new `Migration` at the end of `migrations` (SchemaTests pins the SQL of every shipped one).
enum Schema {
    /// One migration: its identifier, its SQL, and any work in Swift that follows the SQL.
    struct Migration: Sendable {
        let identifier: String
        let sql: String
        let then: (@Sendable (Database) throws -> Void)?

        init(_ identifier: String, sql: String, then: (@Sendable (Database) throws -> Void)? = nil) {
            self.identifier = identifier
            self.sql = sql
            self.then = then
        }
    }

    /// Every migration, oldest first: what `migrator` registers, in this order.
    static let migrations: [Migration] = [
        Migration("v1-catalog", sql: v1),
        Migration("v2-item-postings", sql: v2),
        Migration("v3-item-posting-blocks", sql: v3, then: { db in try PostingBlocks.pack(looseOf: db) }),
        Migration("v4-personas", sql: v4),
        Migration("v5-tuned-params", sql: v5),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
                try migration.then?(db)
            }
        }
        return migrator
    }

    /// Version 1: users, items, sessions, interactions, imports, and the tables later stages fill
    /// (splits, models, embeddings, codebooks, semantic ids, simulation runs).
    static let v1 = """
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        format TEXT NOT NULL,
        sources TEXT NOT NULL,              -- JSON array of the paths read
        fingerprint TEXT NOT NULL UNIQUE,   -- content hash of the sources, to recognise a repeat
        users_added INTEGER NOT NULL,
        items_added INTEGER NOT NULL,
        interactions_added INTEGER NOT NULL,
        first_interaction INTEGER,          -- interactions.id range this import wrote
        last_interaction INTEGER,
        imported_at TEXT NOT NULL
    );

    -- Users and items keep their external ids; idx is the dense index used inside the engine.
    -- The counts and time span on users and items are kept by the importer (each import adds its
    -- own), so lists and summaries never aggregate the interactions table.
    CREATE TABLE users (
        idx INTEGER PRIMARY KEY,
        external_id TEXT NOT NULL UNIQUE,
        attributes TEXT,                    -- JSON object of the source's other columns
        interactions INTEGER NOT NULL DEFAULT 0,
        sessions INTEGER NOT NULL DEFAULT 0,
        first_ts REAL,
        last_ts REAL
    );

    CREATE TABLE items (
        idx INTEGER PRIMARY KEY,
        external_id TEXT NOT NULL UNIQUE,
        title TEXT,
        year INTEGER,
        categories TEXT NOT NULL DEFAULT '[]',   -- JSON array of category names
        description TEXT,
        attributes TEXT,                         -- JSON object of the source's other columns
        interactions INTEGER NOT NULL DEFAULT 0  -- popularity: number of interactions
    );

    CREATE TABLE item_categories (
        category TEXT NOT NULL,
        item INTEGER NOT NULL REFERENCES items(idx) ON DELETE CASCADE,
        PRIMARY KEY (category, item)
    ) WITHOUT ROWID;
    CREATE INDEX item_categories_by_item ON item_categories(item);

    -- Interactions per day (days since 1970, UTC), kept by the importer: activity over time in a few rows.
    CREATE TABLE daily_activity (
        day INTEGER PRIMARY KEY,
        interactions INTEGER NOT NULL
    );

    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        user INTEGER NOT NULL REFERENCES users(idx) ON DELETE CASCADE,
        external_id TEXT,                   -- the source's session id, when it had one
        start_ts REAL NOT NULL,
        end_ts REAL NOT NULL,
        length INTEGER NOT NULL             -- number of interactions
    );
    CREATE INDEX sessions_by_user ON sessions(user, start_ts);

    -- Clustered by (user, ts, id): a user's history is one contiguous range in time order, and id (which
    -- increases in source order, and is unique) breaks timestamp ties by the source's row order.
    -- Foreign keys are declared; bulk imports, which build every id themselves, load with checks off.
    CREATE TABLE interactions (
        user INTEGER NOT NULL REFERENCES users(idx) ON DELETE CASCADE,
        ts REAL NOT NULL,                   -- seconds since 1970 (0 when the source had no time)
        id INTEGER NOT NULL,                -- position across all imports, in source order
        item INTEGER NOT NULL REFERENCES items(idx) ON DELETE CASCADE,
        value REAL,                         -- rating or weight, when the source had one
        event TEXT,                         -- event type, when the source had one
        session INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
        seq INTEGER NOT NULL,               -- line of the source file the interaction came from
        extra TEXT,                         -- JSON object of the source's other columns
        PRIMARY KEY (user, ts, id)
    ) WITHOUT ROWID;
    CREATE INDEX interactions_by_item ON interactions(item, ts);

    CREATE VIRTUAL TABLE item_search USING fts5(
        title, external_id, content='items', content_rowid='idx', tokenize='trigram'
    );

    -- Evaluation splits: interactions not listed in split_holdout are training data.
    CREATE TABLE splits (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,                 -- loo | temporal | ratio
        params TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    CREATE TABLE split_holdout (
        split INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
        interaction INTEGER NOT NULL,       -- interactions.id
        user INTEGER NOT NULL,
        item INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('valid', 'test')),
        PRIMARY KEY (split, interaction)
    ) WITHOUT ROWID;

    CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        split INTEGER REFERENCES splits(id) ON DELETE CASCADE,
        params TEXT NOT NULL DEFAULT '{}',
        trained_at TEXT NOT NULL,
        fit_seconds REAL,
        metrics TEXT,                       -- JSON object of the latest evaluation
        UNIQUE (name, split)
    );
    CREATE TABLE model_arrays (
        model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        rows INTEGER NOT NULL,
        cols INTEGER NOT NULL,
        data BLOB NOT NULL,                 -- little-endian float32, row-major, unpadded
        PRIMARY KEY (model, name)
    ) WITHOUT ROWID;

    CREATE TABLE embeddings (
        space TEXT NOT NULL,                -- e.g. 'content', 'als', 'aligned'
        kind TEXT NOT NULL CHECK (kind IN ('item', 'user')),
        idx INTEGER NOT NULL,
        vector BLOB NOT NULL,               -- little-endian float32
        PRIMARY KEY (space, kind, idx)
    ) WITHOUT ROWID;

    CREATE TABLE codebooks (
        space TEXT NOT NULL,
        level INTEGER NOT NULL,
        code INTEGER NOT NULL,
        centroid BLOB NOT NULL,
        PRIMARY KEY (space, level, code)
    ) WITHOUT ROWID;

    CREATE TABLE semantic_ids (
        space TEXT NOT NULL,
        item INTEGER NOT NULL REFERENCES items(idx) ON DELETE CASCADE,
        codes TEXT NOT NULL,                -- e.g. '12-7-201-0'
        PRIMARY KEY (space, item)
    ) WITHOUT ROWID;
    CREATE INDEX semantic_ids_by_code ON semantic_ids(space, codes);

    CREATE TABLE sim_runs (
        id INTEGER PRIMARY KEY,
        model TEXT NOT NULL,
        agent INTEGER NOT NULL,
        users INTEGER NOT NULL,
        turns INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        summary TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sim_turns (
        run INTEGER NOT NULL REFERENCES sim_runs(id) ON DELETE CASCADE,
        user INTEGER NOT NULL,
        turn INTEGER NOT NULL,
        slate TEXT NOT NULL,
        reactions TEXT NOT NULL,
        instruction TEXT,
        agent_trace TEXT,
        state TEXT,
        PRIMARY KEY (run, user, turn)
    ) WITHOUT ROWID;
    """

    /// Version 2: an item's interactions move from the secondary index `interactions_by_item` to
    /// `item_postings`, a table clustered by `(item, ts, id)` that the importer fills in key order. Building
    /// the index after a bulk load went through SQLite's sorter (about 1.2 s per million rows); the importer
    /// sorts the postings itself in O(n) and appends them (about 0.2 s). Deleting or re-keying an interaction
    /// updates its posting through triggers; inserts come only from `CatalogWriter`, which writes both tables
    /// in the same transaction.
    static let v2 = """
    CREATE TABLE item_postings (
        item INTEGER NOT NULL,
        ts REAL NOT NULL,
        id INTEGER NOT NULL,                -- interactions.id: ties by source order, as everywhere
        user INTEGER NOT NULL,              -- with ts and id, the interaction's primary key
        PRIMARY KEY (item, ts, id)
    ) WITHOUT ROWID;
    INSERT INTO item_postings(item, ts, id, user) SELECT item, ts, id, user FROM interactions ORDER BY item, ts, id;
    DROP INDEX interactions_by_item;
    CREATE TRIGGER interactions_unpost AFTER DELETE ON interactions BEGIN
        DELETE FROM item_postings WHERE item = old.item AND ts = old.ts AND id = old.id;
    END;
    CREATE TRIGGER interactions_repost AFTER UPDATE OF user, ts, id, item ON interactions BEGIN
        DELETE FROM item_postings WHERE item = old.item AND ts = old.ts AND id = old.id;
        INSERT INTO item_postings(item, ts, id, user) VALUES (new.item, new.ts, new.id, new.user);
    END;
    """

    /// Version 3: postings move from one row per interaction (`item_postings`) to packed blocks per item and
    /// import (`item_posting_blocks`, see `PostingBlocks`): writing a million rows a second time cost as much
    /// as writing the interactions. `item_postings` stays, holding only postings that triggers add for
    /// interactions re-keyed by later SQL; `item_postings_removed` lists the interactions deleted or re-keyed
    /// since their block was written. The migration packs the existing postings into blocks.
    static let v3 = """
    -- A rowid table: a leaf page holds blobs of up to 4 kB (a WITHOUT ROWID table spills past about 1 kB).
    CREATE TABLE item_posting_blocks (
        item INTEGER NOT NULL,
        first_id INTEGER NOT NULL,          -- the smallest interactions.id in the block
        count INTEGER NOT NULL,
        postings BLOB NOT NULL              -- count entries by (ts, id): varint steps of ts, id and the user (PostingBlocks)
    );
    CREATE UNIQUE INDEX item_posting_blocks_by_item ON item_posting_blocks(item, first_id);
    CREATE TABLE item_postings_removed (
        item INTEGER NOT NULL,
        id INTEGER NOT NULL,                -- interactions.id of a block entry that no longer counts
        PRIMARY KEY (item, id)
    ) WITHOUT ROWID;
    DROP TRIGGER interactions_unpost;
    DROP TRIGGER interactions_repost;
    CREATE TRIGGER interactions_unpost AFTER DELETE ON interactions BEGIN
        DELETE FROM item_postings WHERE item = old.item AND ts = old.ts AND id = old.id;
        INSERT OR IGNORE INTO item_postings_removed(item, id) VALUES (old.item, old.id);
    END;
    CREATE TRIGGER interactions_repost AFTER UPDATE OF user, ts, id, item ON interactions BEGIN
        DELETE FROM item_postings WHERE item = old.item AND ts = old.ts AND id = old.id;
        INSERT OR IGNORE INTO item_postings_removed(item, id) VALUES (old.item, old.id);
        INSERT INTO item_postings(item, ts, id, user) VALUES (new.item, new.ts, new.id, new.user);
    END;
    """

    /// Version 4: what-if users saved by name (the explorer's What-if pane, `recscope personas`, a persona in
    /// Simulate). Items are stored by external id, so a persona reads the same whatever the dense indices.
    static let v4 = """
    CREATE TABLE personas (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        items TEXT NOT NULL,                -- JSON array of item external ids, oldest first
        recent INTEGER NOT NULL DEFAULT 0,  -- how many of the latest items the models read (0: all)
        source_user TEXT,                   -- the catalog user it was started from, if any
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """

    /// Version 5: the parameters `recscope tune` chose per model, which training then starts from.
    static let v5 = """
    CREATE TABLE tuned_params (
        model TEXT PRIMARY KEY,             -- the model kind, e.g. als
        params TEXT NOT NULL,               -- JSON object of the chosen parameters
        split TEXT NOT NULL,                -- the split whose valid rows judged them
        metric TEXT NOT NULL,               -- e.g. ndcg@10
        value REAL NOT NULL,                -- its mean on the valid rows
        grid TEXT NOT NULL,                 -- the grid as given
        tuned_at TEXT NOT NULL
    );
    """
}
