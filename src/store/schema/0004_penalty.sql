-- Violations, the deposit ledger and appeals (RULES.md §3), and what the catalog keeps for them.

-- What keeps a store from being active, as bits (catalog.h SW_HOLD_*): 1 operator restriction,
-- 2 deposit below requirement, 4 rectification owed, 8 cleared by a violation, 16 cleared by
-- an operator. `status` follows from them and stays a column for reads.
ALTER TABLE merchants ADD COLUMN holds INTEGER NOT NULL DEFAULT 0;
UPDATE merchants SET holds = 1 WHERE status = 'restricted';
UPDATE merchants SET holds = 16 WHERE status = 'cleared';
-- Stores from before the ledger have no deposit yet: like a new store, they are held until
-- they top up.
UPDATE merchants SET holds = holds | 2 WHERE deposit_required_fen > 0;
UPDATE merchants SET status = 'restricted' WHERE status = 'active' AND holds <> 0;

-- Products by spu, for the `implicated` rule (only products that name an spu are here).
CREATE TABLE product_spus (
    spu_id TEXT NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (spu_id, rid)
) WITHOUT ROWID;
INSERT INTO product_spus (spu_id, rid)
    SELECT json_extract(doc, '$.spu_id'), rid FROM products
    WHERE json_extract(doc, '$.spu_id') IS NOT NULL;

CREATE TABLE violations (
    rid INTEGER PRIMARY KEY,          -- the id is 'v' || rid
    merchant TEXT NOT NULL,
    product TEXT NOT NULL,
    type TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity = 'minor' OR severity = 'severe'),
    source TEXT NOT NULL,             -- scanner, operator, review_stats
    status TEXT NOT NULL CHECK (status = 'pending' OR status = 'dismissed' OR
                                status = 'in_force' OR status = 'overturned'),
    occurrences INTEGER NOT NULL,     -- distinct findings
    counted INTEGER NOT NULL,         -- counts towards repeats
    nth INTEGER NOT NULL,             -- its place among the store's counted ones in the window
    ban TEXT NOT NULL,                -- none, until_fixed, permanent (from policy)
    ban_active INTEGER NOT NULL,
    deduct_fen INTEGER NOT NULL,      -- the penalty decided
    deducted_fen INTEGER NOT NULL,    -- taken from the deposit so far (ledger entries)
    owed_fen INTEGER NOT NULL,        -- not yet taken: the balance did not cover it
    rectification TEXT NOT NULL,      -- none, required, submitted, accepted, cancelled
    clears_store INTEGER NOT NULL,
    appeals INTEGER NOT NULL,         -- appeals filed
    appeal_open INTEGER NOT NULL,
    final INTEGER NOT NULL,           -- no appeal left
    created_at INTEGER NOT NULL,
    effective_at INTEGER,             -- came into force (counting window)
    decided_at INTEGER,
    updated_at INTEGER NOT NULL,
    policy_version TEXT NOT NULL,
    doc TEXT NOT NULL                 -- findings, evidence, notes, rectification report
);
CREATE INDEX violations_store ON violations (merchant, type, effective_at);
CREATE INDEX violations_product ON violations (product);
CREATE INDEX violations_status ON violations (status, rid);

CREATE TABLE deposit_accounts (
    merchant TEXT PRIMARY KEY,
    balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
    owed_fen INTEGER NOT NULL CHECK (owed_fen >= 0),
    entries INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Append-only: the balance is the sum of a store's entries.
CREATE TABLE deposit_entries (
    rid INTEGER PRIMARY KEY,
    merchant TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'top_up' OR kind = 'deduction' OR kind = 'refund' OR
                              kind = 'release'),
    amount_fen INTEGER NOT NULL,      -- signed: top-ups and refunds add, the others take
    balance_after_fen INTEGER NOT NULL,
    violation INTEGER,                -- violations.rid for deductions and refunds
    ref TEXT,                         -- the payment reference of a top-up or release
    note TEXT,
    at INTEGER NOT NULL,
    command_seq INTEGER NOT NULL
);
CREATE INDEX deposit_entries_store ON deposit_entries (merchant, rid);
CREATE INDEX deposit_entries_ref ON deposit_entries (merchant, ref) WHERE ref IS NOT NULL;
CREATE INDEX deposit_entries_violation ON deposit_entries (violation) WHERE violation IS NOT NULL;

CREATE TABLE appeals (
    rid INTEGER PRIMARY KEY,          -- the id is 'a' || rid
    violation INTEGER NOT NULL,
    merchant TEXT NOT NULL,
    nth INTEGER NOT NULL,             -- 1 or 2 (policy)
    status TEXT NOT NULL CHECK (status = 'open' OR status = 'upheld' OR status = 'rejected'),
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,           -- JSON array of file references
    note TEXT,
    overdue INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    decided_at INTEGER,
    decided_by TEXT
);
CREATE INDEX appeals_violation ON appeals (violation, rid);
CREATE INDEX appeals_open ON appeals (status, due_at);
