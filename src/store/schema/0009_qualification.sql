-- Industry qualifications (资质, issue 12): a store's documents for a qualification code the
-- policy knows, reviewed by an operator; an approved one expires by itself at the end of its
-- expires_on day (Asia/Shanghai) or is revoked.
CREATE TABLE qualifications (
    rid INTEGER PRIMARY KEY,          -- the id is 'q' || rid
    merchant TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('reviewing', 'approved', 'rejected', 'expired',
                                           'revoked')),
    documents TEXT NOT NULL,          -- JSON array of file references
    expires_on INTEGER NOT NULL,      -- the last valid day, days since the epoch (Asia/Shanghai)
    expires_at INTEGER NOT NULL,      -- µs: the end of that day, 00:00 +08:00 the day after
    submitted_by TEXT,                -- actor JSON
    decided_by TEXT,                  -- actor JSON of the review decision
    decided_at INTEGER,
    note TEXT,                        -- the decision's note
    revoked_by TEXT,
    revoked_at INTEGER,
    revoke_note TEXT,
    expired_at INTEGER,               -- when the expiry timer ran
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL          -- raised by every write (the module's SQL sets it)
);
CREATE INDEX qualifications_store ON qualifications (merchant, rid);
-- The operator queue: records in review, oldest first.
CREATE INDEX qualifications_review ON qualifications (status, created_at, rid);
-- "Does store M hold code C at T": its approved (or since ended) records of C.
CREATE INDEX qualifications_held ON qualifications (merchant, code, status);
