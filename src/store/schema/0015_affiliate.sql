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

-- Clawbacks of succeeded rights cases: pending until a statement deducts them (statement set).
CREATE TABLE aff_clawbacks (
    order_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    promoter TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    statement TEXT,
    PRIMARY KEY (order_id, case_id)
);
CREATE INDEX aff_clawbacks_pending ON aff_clawbacks (promoter) WHERE statement IS NULL;

-- Monthly statements: issued once, never changed.
CREATE TABLE aff_statements (
    id TEXT PRIMARY KEY,              -- 'st-' || promoter || '-' || month
    promoter TEXT NOT NULL,
    month TEXT NOT NULL,              -- YYYY-MM: the month whose confirmed orders it settles
    issued_at INTEGER NOT NULL,
    lines TEXT NOT NULL,              -- JSON array of {kind, order, case?, amount_fen}
    total_fen INTEGER NOT NULL
);
CREATE INDEX aff_statements_promoter ON aff_statements (promoter, month);
CREATE INDEX aff_statements_month ON aff_statements (month, promoter);
-- The statement run: confirmed orders not yet settled, by promoter.
CREATE INDEX aff_orders_unsettled ON aff_orders (status, promoter, order_id);

-- Review: what the rules flagged, and the operators' decisions.
CREATE TABLE aff_flags (
    order_id TEXT NOT NULL,
    rule TEXT NOT NULL,               -- self_purchase, repeat_buyer, conversion_outlier
    reason TEXT NOT NULL,             -- the invalid reason a confirmation leads to
    evidence TEXT NOT NULL,           -- JSON
    policy_version TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'cleared')),
    at INTEGER NOT NULL,
    decided_by TEXT,
    decided_at INTEGER,
    note TEXT,
    PRIMARY KEY (order_id, rule)
);
CREATE INDEX aff_flags_open ON aff_flags (state, order_id);
-- Fingerprints registered for a promoter (its own devices and addresses).
CREATE TABLE aff_promoters (
    id TEXT PRIMARY KEY,
    devices TEXT NOT NULL,            -- JSON array
    address_hashes TEXT NOT NULL,     -- JSON array
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- Every paid order by buyer fingerprint ('id:', 'device:', 'address:' + value), for the
-- repeat-buyer rule, and by promoter and time for spike monitoring.
CREATE TABLE aff_buys (
    promoter TEXT NOT NULL,
    fp TEXT NOT NULL,
    at INTEGER NOT NULL,
    order_id TEXT NOT NULL,
    PRIMARY KEY (promoter, fp, order_id)
);
CREATE INDEX aff_buys_time ON aff_buys (promoter, fp, at);
CREATE TABLE aff_paid (
    order_id TEXT PRIMARY KEY,
    promoter TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX aff_paid_promoter ON aff_paid (promoter, at);
-- Spike alerts: one per promoter and hour.
CREATE TABLE aff_alerts (
    id TEXT PRIMARY KEY,              -- 'al-' || promoter || '-' || hour (µs)
    promoter TEXT NOT NULL,
    hour INTEGER NOT NULL,
    count INTEGER NOT NULL,
    baseline REAL NOT NULL,
    orders TEXT NOT NULL,             -- JSON array
    at INTEGER NOT NULL
);
-- Per order: its item and whether it was paid and confirmed, for the conversion-outlier rule.
CREATE TABLE aff_conv (
    order_id TEXT PRIMARY KEY,
    promoter TEXT NOT NULL,
    item TEXT NOT NULL,
    paid INTEGER NOT NULL,
    confirmed INTEGER NOT NULL
);
CREATE INDEX aff_conv_item ON aff_conv (item, promoter);
