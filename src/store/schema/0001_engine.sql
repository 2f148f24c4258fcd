-- Engine tables: the command log, the event log (the audit log), timers, API keys, metadata.
-- Every table is rowid-ordered and appended to: random TEXT keys would cost a 4 KiB page
-- write each (FACTS.md), so idempotency keys are looked up in memory, not through an index.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE commands (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,              -- µs since the epoch, UTC
    type TEXT NOT NULL,
    actor TEXT NOT NULL,              -- role of the key that sent it, or 'system' / 'cli'
    merchant TEXT,                    -- partition key
    idem_key TEXT,                    -- scoped idempotency key, NULL when none
    payload TEXT NOT NULL,
    result TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    first_event INTEGER,              -- a command's events are contiguous: first seq + count
    nevents INTEGER NOT NULL
);

CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    merchant TEXT,
    subject TEXT,
    payload TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    command_seq INTEGER NOT NULL
);

CREATE TABLE timers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a fired timer's id keys its command
    due_us INTEGER NOT NULL,
    kind TEXT NOT NULL,              -- the command type it becomes
    merchant TEXT,
    subject TEXT,
    payload TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE         -- one timer per key: rescheduling replaces it
);
CREATE INDEX timers_due ON timers (due_us, id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,       -- BLAKE2b-256 of the secret; the secret is never stored
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
