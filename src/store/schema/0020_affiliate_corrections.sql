-- Affiliate corrections: what an issued statement paid or deducted never changes; a later change
-- to what an order should earn becomes a new pending line for the next statement.
-- Each (order, case) keeps every line it ever had (n: 0, 1, ...), at most one pending
-- (statement NULL); case_id '' is the order's commission (a correction line). amount_fen is
-- what the line takes from the promoter (a statement shows it negated): negative gives back.
CREATE TABLE aff_clawbacks_v2 (
    order_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    promoter TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    statement TEXT,
    PRIMARY KEY (order_id, case_id, n)
);
INSERT INTO aff_clawbacks_v2(order_id, case_id, n, promoter, amount_fen, statement)
SELECT order_id, case_id, 0, promoter, amount_fen, statement FROM aff_clawbacks ORDER BY rowid;
DROP TABLE aff_clawbacks;
ALTER TABLE aff_clawbacks_v2 RENAME TO aff_clawbacks;
CREATE INDEX aff_clawbacks_pending ON aff_clawbacks (promoter) WHERE statement IS NULL;

-- The commission the statement that settled an order paid for it (its order line).
ALTER TABLE aff_orders ADD COLUMN settled_commission_fen INTEGER;
UPDATE aff_orders SET settled_commission_fen = (
    SELECT json_extract(j.value, '$.amount_fen') FROM aff_statements s, json_each(s.lines) j
    WHERE s.id = aff_orders.statement AND json_extract(j.value, '$.kind') = 'order'
      AND json_extract(j.value, '$.order') = aff_orders.order_id)
WHERE statement IS NOT NULL;
