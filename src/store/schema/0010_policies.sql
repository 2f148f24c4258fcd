-- Every policy version the engine has run with since runtime activation exists (docs/engine.md,
-- "Policy versions"): a version names one document forever. The active policy is the row with
-- the highest command_seq; a row without one is a version that was in force (loaded from a file
-- or the default) before the first activation, kept so that its version cannot be reused.
CREATE TABLE policies (
    version TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    activated_at INTEGER,
    command_seq INTEGER
);
