-- Designated-streamer filing (快手特定达人报备, issue 13).
-- Streamers set by operators at runtime; the policy's filing.designated_streamers lists the
-- ones designated at start, and a row here overrides the policy's entry of the same id.
CREATE TABLE streamers (
    id TEXT PRIMARY KEY,
    nickname TEXT NOT NULL,
    designated INTEGER NOT NULL,      -- 0 or 1
    merchant TEXT,                    -- the streamer's own store, or NULL
    updated_by TEXT,                  -- actor JSON of the last change
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX streamers_store ON streamers (merchant) WHERE merchant IS NOT NULL;

-- One filing record per (product, designated streamer), owned by the product's store.
CREATE TABLE filings (
    rid INTEGER PRIMARY KEY,          -- the id is 'f' || rid
    merchant TEXT NOT NULL,           -- the product's store: it files
    product TEXT NOT NULL,
    streamer TEXT NOT NULL,
    nickname TEXT NOT NULL,           -- the streamer's, kept in step by streamer changes
    status TEXT NOT NULL CHECK (status IN ('pending', 'reviewing', 'approved', 'rejected')),
    reasons TEXT NOT NULL,            -- JSON array: self_built, pk, distribution, product_edit
    required TEXT NOT NULL,           -- JSON array: the document codes the policy asks for
    documents TEXT NOT NULL,          -- JSON array: the last submission's documents
    history TEXT NOT NULL,            -- JSON array of {at, action, from, to, by, ...}
    submitted_at INTEGER,             -- µs of the last submission
    submitted_by TEXT,
    decided_at INTEGER,
    decided_by TEXT,
    note TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (product, streamer)
);
CREATE INDEX filings_store ON filings (merchant, rid);
CREATE INDEX filings_streamer ON filings (streamer, rid);
-- The operator queue: records in review, oldest submission first.
CREATE INDEX filings_review ON filings (status, submitted_at, rid);

-- A designated (or ordinary) streamer putting another store's product up for distribution.
CREATE TABLE distributions (
    rid INTEGER PRIMARY KEY,          -- the id is 'd' || rid
    streamer TEXT NOT NULL,
    nickname TEXT,                    -- the streamer's at the time, NULL when unknown
    product TEXT NOT NULL,
    merchant TEXT NOT NULL,           -- the product's store
    filing INTEGER,                   -- the owner's record's rid, NULL when nothing is filed
    created_by TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (streamer, product)
);
CREATE INDEX distributions_store ON distributions (merchant, rid);

-- Live sessions: a store's session with a streamer (and a PK partner), the products it
-- accepted after the filing check, and what was put in the cart.
CREATE TABLE live_sessions (
    rid INTEGER PRIMARY KEY,          -- the id is 'ls' || rid
    merchant TEXT NOT NULL,
    streamer TEXT NOT NULL,
    partner TEXT,                     -- the PK partner, NULL without a PK
    start_at INTEGER NOT NULL,
    doc TEXT NOT NULL,                -- JSON: streamer/pk objects, products with the check's outcome
    cart TEXT NOT NULL,               -- JSON array of product ids
    created_by TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX live_sessions_store ON live_sessions (merchant, rid);
CREATE INDEX live_sessions_streamer ON live_sessions (streamer, rid);
CREATE INDEX live_sessions_partner ON live_sessions (partner, rid) WHERE partner IS NOT NULL;

-- An operator's pre-approval of a zero-price lottery item (0元购) in one session.
CREATE TABLE lottery_approvals (
    rid INTEGER PRIMARY KEY,          -- the id is 'la' || rid
    session INTEGER NOT NULL,
    product TEXT NOT NULL,
    note TEXT,
    approved_by TEXT,
    approved_at INTEGER NOT NULL,
    UNIQUE (session, product)
);
