-- Affiliate orders (淘宝联盟, issue 15).
-- Every event the order system reported, once (its event id), as sent.
CREATE TABLE aff_events (
    rid INTEGER PRIMARY KEY,          -- arrival order: the history's seq
    event_id TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL,
    at INTEGER NOT NULL,              -- µs, as the event says
    doc TEXT NOT NULL                 -- the event as sent (validated)
);
CREATE INDEX aff_events_order ON aff_events (order_id, rid);

-- Each order's affiliate view, folded from its events (docs/affiliate.md).
CREATE TABLE aff_orders (
    order_id TEXT PRIMARY KEY,
    promoter TEXT NOT NULL,
    status TEXT NOT NULL,
    confirmed_at INTEGER,             -- µs of the receipt_confirmed applied, when confirmed
    statement TEXT,                   -- the statement that settled it
    doc TEXT NOT NULL,                -- the view: amounts, commissions, cases, history, ...
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX aff_orders_promoter ON aff_orders (promoter, order_id);
CREATE INDEX aff_orders_status ON aff_orders (status, order_id);

-- Events waiting for what they depend on.
CREATE TABLE aff_held (
    event_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    waiting_for TEXT NOT NULL
);
CREATE INDEX aff_held_order ON aff_held (order_id);
