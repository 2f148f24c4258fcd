-- Affiliate orders, leaner (issue 15's benchmark): fewer and smaller random-keyed writes an event.
-- Each event's fields as columns instead of its JSON again (the command row keeps the batch as
-- sent): the fold reads them without parsing. (Rows before this migration get `at` as arrival.)
CREATE TABLE aff_events_v2 (
    rid INTEGER PRIMARY KEY,          -- arrival order: the history's seq
    event_id TEXT NOT NULL UNIQUE,
    order_id TEXT NOT NULL,
    at INTEGER NOT NULL,              -- µs, as the event says
    arrived INTEGER NOT NULL,         -- µs of the request that brought it (point-in-time reads)
    type TEXT NOT NULL,
    promoter TEXT NOT NULL,
    merchant TEXT NOT NULL,
    item TEXT NOT NULL,
    amount_fen INTEGER,               -- paid, partial_refund
    rate_bp INTEGER,                  -- paid
    buyer_id TEXT,                    -- paid
    buyer_device TEXT,
    buyer_address TEXT,
    settled_fen INTEGER,              -- receipt_confirmed
    case_id TEXT,                     -- rights_case
    case_state TEXT,
    refund_fen INTEGER
);
INSERT INTO aff_events_v2
SELECT rid, event_id, order_id, at, at, json_extract(doc, '$.type'), json_extract(doc, '$.promoter'),
       json_extract(doc, '$.merchant'), json_extract(doc, '$.item'),
       json_extract(doc, '$.amount_fen'), json_extract(doc, '$.rate_bp'),
       json_extract(doc, '$.buyer.id'), json_extract(doc, '$.buyer.device'),
       json_extract(doc, '$.buyer.address_hash'), json_extract(doc, '$.settled_amount_fen'),
       json_extract(doc, '$.case'), json_extract(doc, '$.state'), json_extract(doc, '$.refund_fen')
FROM aff_events;
DROP TABLE aff_events;
ALTER TABLE aff_events_v2 RENAME TO aff_events;
CREATE INDEX aff_events_order ON aff_events (order_id, rid);

-- A buyer fingerprint's orders by time: one B-tree (the key) instead of a table and two indexes.
CREATE TABLE aff_buys_v2 (
    promoter TEXT NOT NULL,
    fp TEXT NOT NULL,
    at INTEGER NOT NULL,
    order_id TEXT NOT NULL,
    PRIMARY KEY (promoter, fp, at, order_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO aff_buys_v2 SELECT promoter, fp, at, order_id FROM aff_buys;
DROP TABLE aff_buys;
ALTER TABLE aff_buys_v2 RENAME TO aff_buys;

-- Conversions by item and promoter, the rule's only way in: one B-tree.
CREATE TABLE aff_conv_v2 (
    item TEXT NOT NULL,
    promoter TEXT NOT NULL,
    order_id TEXT NOT NULL,
    paid INTEGER NOT NULL,
    confirmed INTEGER NOT NULL,
    PRIMARY KEY (item, promoter, order_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO aff_conv_v2 SELECT item, promoter, order_id, paid, confirmed FROM aff_conv;
DROP TABLE aff_conv;
ALTER TABLE aff_conv_v2 RENAME TO aff_conv;
