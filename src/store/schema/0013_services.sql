-- One vocabulary of after-sales services (issue 14): the policy's services catalogue. The
-- scanner's promise list used two codes of its own; products that carry them get the
-- catalogue's codes, each in the place it had (order kept, nothing else in the doc touched).
--   freight_insurance -> return_shipping_insurance (运费险)
--   fast_refund       -> fast_refund_unshipped     (未发货极速退款)
UPDATE products
SET doc = json_set(doc, '$.after_sales', (
        SELECT json_group_array(CASE value
                                    WHEN 'freight_insurance' THEN 'return_shipping_insurance'
                                    WHEN 'fast_refund' THEN 'fast_refund_unshipped'
                                    ELSE value END)
        FROM (SELECT value FROM json_each(products.doc, '$.after_sales') ORDER BY key)))
WHERE json_type(doc, '$.after_sales') = 'array'
  AND EXISTS (SELECT 1 FROM json_each(products.doc, '$.after_sales')
              WHERE value IN ('freight_insurance', 'fast_refund'));
