-- Catalog: merchants and products.
CREATE TABLE merchants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Comparisons, not IN (...): SQLite builds an ephemeral index for an IN list on every
    -- statement that checks the constraint.
    status TEXT NOT NULL CHECK (status = 'active' OR status = 'restricted' OR status = 'cleared'),
    categories TEXT NOT NULL,          -- JSON array of category codes
    deposit_required_fen INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Products are appended in rowid order. The external id and a store's list of products are
-- kept in the engine's memory (an id map and an id list, rebuilt from this table at start),
-- so creates write no index page: an index on (merchant, rid) with 1,000 stores cost a
-- scattered page write per insert and held even a bare SQL loop to ~25k rows/s at 1M rows.
CREATE TABLE products (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    merchant TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status = 'delisted' OR status = 'listed' OR status = 'banned'),
    price_fen INTEGER NOT NULL,
    stock INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    doc TEXT NOT NULL                  -- the remaining fields, as a JSON object
);
