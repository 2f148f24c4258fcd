-- The operators' work on the queues (docs/queue.md): who holds an item for now (claims),
-- internal notes stores never see, and decisions that wait for a second operator (approvals).
CREATE TABLE queue_claims (
    item TEXT PRIMARY KEY,            -- the queue item's id (a violation, appeal, filing...)
    holder TEXT NOT NULL,             -- the API key id of the operator who holds it
    until_us INTEGER NOT NULL,        -- the claim lapses at this instant (engine clock)
    doc TEXT NOT NULL                 -- {by (actor), claimed_at}
);
CREATE INDEX queue_claims_until ON queue_claims (until_us);
CREATE TABLE notes (
    rid INTEGER PRIMARY KEY,          -- the id is 'n' || rid
    subject TEXT NOT NULL,            -- a store or a queue item
    at INTEGER NOT NULL,
    doc TEXT NOT NULL                 -- {text, by (actor)}
);
CREATE INDEX notes_subject ON notes (subject, rid);
CREATE TABLE approvals (
    rid INTEGER PRIMARY KEY,          -- the id is 'ap' || rid
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    requester TEXT NOT NULL,          -- the API key id that asked for the decision
    command TEXT NOT NULL,            -- the decision's command type
    payload TEXT NOT NULL,            -- its payload, applied as it is once approved
    doc TEXT NOT NULL                 -- kind, amount_fen, subject, merchant, who and when
);
CREATE INDEX approvals_status ON approvals (status, rid);
