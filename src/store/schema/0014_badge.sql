-- Assurance badge (安心购, issue 14).
-- Product tags: marks other modules set on a product (bit 1: the assurance badge), shown in
-- the product's view and filtered on in a store's product list.
ALTER TABLE products ADD COLUMN tags INTEGER NOT NULL DEFAULT 0;

-- One row per store that has a badge state other than the untouched default: its committed
-- services, the state and why, and its reminder.
CREATE TABLE badges (
    merchant TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('ineligible', 'eligible', 'active', 'suspended',
                                         'closed')),
    activated_by TEXT,                -- 'merchant' | 'system' while active or suspended
    since INTEGER NOT NULL,           -- µs: when it entered this state
    services TEXT NOT NULL,           -- JSON array of the codes the store commits to offer
    missing TEXT NOT NULL,            -- JSON array: the codes it lacks for eligibility
    reasons TEXT NOT NULL,            -- JSON array of {code, ...}: why not eligible / suspended
    reminder_sent_at INTEGER,
    reminder_dismissed_at INTEGER,
    auto_at INTEGER,                  -- µs: when the system activation check runs (a timer)
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE INDEX badges_state ON badges (state);

-- What the platform tells a store (the badge reminder).
CREATE TABLE notifications (
    rid INTEGER PRIMARY KEY,          -- the id is 'n' || rid
    merchant TEXT NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    message TEXT NOT NULL,
    dismissed_at INTEGER
);
CREATE INDEX notifications_store ON notifications (merchant, rid);
