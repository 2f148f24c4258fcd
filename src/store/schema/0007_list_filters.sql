-- Indexes for the list filters (docs/api.md, "Lists").
-- GET /v1/merchants?status=: the stores of a status in id order.
CREATE INDEX merchants_status ON merchants (status, id);
-- GET /v1/violations?type= and from / to (on created_at); product= has violations_product.
CREATE INDEX violations_type ON violations (type, rid);
CREATE INDEX violations_created ON violations (created_at);
-- The event log gets no index for its filters (type, merchant, subject, from / to): it is the
-- table every command appends to, and an index by merchant, type or subject costs a scattered
-- page write per event (measured on 300k events: an index on (merchant, seq) took inserts from
-- ~48k to ~8k rows/s, with (type, seq) and (subject, seq) as well to ~2-4k). Instants do not
-- follow seq either (the CLI writes on the system clock, a restart may start earlier), so a
-- time index would not give a stretch of seqs. GET /v1/events walks the log in seq order
-- from the cursor, a bounded stretch per request (docs/api.md, "Event feed").
