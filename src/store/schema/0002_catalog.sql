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

-- Products are appended in rowid order; the external id is found through the engine's
-- in-memory id map (loaded from this table at start), so creates never write a random
-- TEXT index page.
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
CREATE INDEX products_by_merchant ON products (merchant, rid);
