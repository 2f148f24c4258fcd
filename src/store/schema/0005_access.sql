-- Order access and logistics (RULES.md §3): a minimal order record per merchant from the
-- platform's order feed, third-party apps' grants, and carriers' tracking events.

CREATE TABLE orders (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,                 -- the platform's order id (an id map keeps id -> rid)
    merchant TEXT NOT NULL,
    status TEXT NOT NULL,
    status_at INTEGER NOT NULL,       -- event time of the status: older events do not win
    items TEXT NOT NULL,              -- JSON array
    amounts TEXT NOT NULL,            -- JSON object of *_fen
    times TEXT NOT NULL,              -- JSON object: status -> first event time (µs)
    buyer_masked TEXT,                -- JSON object: name, phone, address masked
    buyer_sealed TEXT,                -- sealed box (base64) of the clear data; never clear text
    events INTEGER NOT NULL,          -- feed events applied
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX orders_store ON orders (merchant, rid);

CREATE TABLE grants (
    merchant TEXT NOT NULL,
    app TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status = 'granted' OR status = 'revoked'),
    granted_at INTEGER NOT NULL,
    revoked_at INTEGER,
    version INTEGER NOT NULL,
    PRIMARY KEY (merchant, app)
) WITHOUT ROWID;

CREATE TABLE logistics_events (
    rid INTEGER PRIMARY KEY,
    order_rid INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    at INTEGER NOT NULL,              -- when it happened (the carrier's time)
    status TEXT NOT NULL,
    description TEXT,
    location TEXT,
    carrier TEXT,
    tracking_no TEXT,
    received_at INTEGER NOT NULL
);
-- Reading in time order, and one row per (order, event id) however often it is pushed.
CREATE INDEX logistics_order_time ON logistics_events (order_rid, at, rid);
CREATE UNIQUE INDEX logistics_order_event ON logistics_events (order_rid, event_id);
