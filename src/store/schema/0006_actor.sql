-- Who acted (issue 11): the command log records the key that sent each command next to its
-- role, so that two operators are told apart in the audit log. Commands logged before this
-- migration keep a NULL key (only their role is known). The engine's own commands (timers,
-- the CLI) have no key either: their role says which ('system', 'cli').
ALTER TABLE commands ADD COLUMN actor_key TEXT;
ALTER TABLE commands ADD COLUMN actor_label TEXT;

-- API keys get a label (the person or system holding the key, shown in the audit log) and an
-- optional expiry (µs since the epoch; an expired key is refused like a revoked one).
ALTER TABLE api_keys ADD COLUMN label TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
CREATE INDEX api_keys_role ON api_keys (role);
