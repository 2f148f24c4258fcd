-- Quick promotion (极速推, issue 12): paid exposure packages for one product, reviewed at
-- purchase, abnormal while a check stops holding and running again by itself, exposure
-- counted exactly once per impression id.
CREATE TABLE promotions (
    rid INTEGER PRIMARY KEY,          -- the id is 'pr' || rid
    merchant TEXT NOT NULL,
    product TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('review_failed', 'running', 'abnormal', 'completed',
                                           'refunded')),
    reasons TEXT NOT NULL,            -- JSON array of {code, rule, policy_version, detail}
    price_fen INTEGER NOT NULL,
    estimated_exposure INTEGER NOT NULL,
    duration_hours INTEGER NOT NULL,
    created_at INTEGER NOT NULL,      -- µs
    started_at INTEGER,               -- µs, when it first ran (NULL: never)
    ends_at INTEGER,                  -- µs, when the duration ends as of the last resume
    abnormal_since INTEGER,           -- µs, while abnormal
    completed_at INTEGER,
    completion TEXT,                  -- 'estimate_reached' | 'duration_ended'
    final_at INTEGER,                 -- completed_at + stats delay: the figure is final from then
    finalized INTEGER NOT NULL DEFAULT 0, -- the finalize timer ran (the dedupe state is gone)
    first_impression INTEGER,         -- rowid of its first impressions row (where a rebuild starts)
    refund TEXT,                      -- JSON {amount_fen, note, by, at}
    created_by TEXT,                  -- actor JSON
    updated_at INTEGER NOT NULL
);
-- What every ingest changes, apart from the wide row: an ingest touches thousands of orders,
-- and a narrow row keeps that to a few pages (and WAL frames) a commit. version is the order's
-- (raised by every write, its ETag).
CREATE TABLE promotion_counts (
    rid INTEGER PRIMARY KEY,          -- promotions.rid
    actual_exposure INTEGER NOT NULL, -- impressions counted so far
    version INTEGER NOT NULL
);
CREATE INDEX promotions_store ON promotions (merchant, rid);
CREATE INDEX promotions_status ON promotions (status, rid);
-- Orders a product's changes may concern (running or abnormal ones are re-checked).
CREATE INDEX promotions_product ON promotions (product, status);

-- Every transition: instant, cause, the event that announced it.
CREATE TABLE promotion_history (
    promotion INTEGER NOT NULL,
    n INTEGER NOT NULL,
    at INTEGER NOT NULL,              -- µs
    from_status TEXT,                 -- NULL for the purchase
    to_status TEXT NOT NULL,
    cause TEXT NOT NULL,
    reasons TEXT NOT NULL,            -- JSON array, the reasons in force after the transition
    event_seq INTEGER NOT NULL,
    PRIMARY KEY (promotion, n)
) WITHOUT ROWID;

-- The first sighting of every impression id of a known order, in arrival order (appended: no
-- index, a random-key index would cost a page write per row; a request's rows grouped by order). The dedupe set is in memory,
-- (hash, rowid) per id, rebuilt from this table at start for the orders not yet final;
-- a hash match is confirmed by reading the row.
CREATE TABLE impressions (
    promotion INTEGER NOT NULL,       -- promotions.rid
    impression_id TEXT NOT NULL,
    at INTEGER NOT NULL,              -- µs, when it was shown
    counted INTEGER NOT NULL          -- 1 counted, 0 not (the order was not running then)
);
