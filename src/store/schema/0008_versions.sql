-- Versions for the objects whose single reads had none (docs/api.md "HTTP conventions": ETag
-- and If-Match). A row's version goes up by at least one with every write of the row. The
-- triggers keep it so whatever statement writes the row (the module's SQL does not name the
-- column): an UPDATE that leaves `version` as it was bumps it. SQLite runs no trigger from
-- within its own trigger's UPDATE (recursive_triggers is off), and that UPDATE changes
-- `version` anyway.
ALTER TABLE violations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER violations_version AFTER UPDATE ON violations
    WHEN NEW.version = OLD.version
BEGIN
    UPDATE violations SET version = OLD.version + 1 WHERE rid = OLD.rid;
END;

ALTER TABLE appeals ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER appeals_version AFTER UPDATE ON appeals
    WHEN NEW.version = OLD.version
BEGIN
    UPDATE appeals SET version = OLD.version + 1 WHERE rid = OLD.rid;
END;

ALTER TABLE deposit_accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER deposit_accounts_version AFTER UPDATE ON deposit_accounts
    WHEN NEW.version = OLD.version
BEGIN
    UPDATE deposit_accounts SET version = OLD.version + 1 WHERE merchant = OLD.merchant;
END;
