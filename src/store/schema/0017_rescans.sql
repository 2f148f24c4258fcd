-- Re-inspections of what is on sale (docs/penalty.md "Rescans"): a job over the listed
-- products, run in steps by a chain of timers; each step commits its cursor and counters, so a
-- job survives a restart and goes on where it stopped.
CREATE TABLE rescans (
    rid INTEGER PRIMARY KEY,          -- the id is 'r' || rid
    status TEXT NOT NULL CHECK (status = 'running' OR status = 'done'),
    policy_version TEXT NOT NULL,     -- in force when it started (each step scans under the one in force then)
    batch INTEGER NOT NULL,           -- listed products per step
    total INTEGER NOT NULL,           -- listed products when it started
    scanned INTEGER NOT NULL,         -- listed products inspected so far
    changed INTEGER NOT NULL,         -- of those, products whose findings changed
    violations INTEGER NOT NULL,      -- violations it created
    delisted INTEGER NOT NULL,        -- products it took off sale (findings that block on sale)
    steps INTEGER NOT NULL,
    cursor INTEGER NOT NULL,          -- the last product rid it went through
    upto INTEGER NOT NULL,            -- the highest product rid when it started: its end
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER,
    doc TEXT NOT NULL                 -- by, note
);
CREATE INDEX rescans_status ON rescans (status, rid);
