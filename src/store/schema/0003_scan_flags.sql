-- What the content scanner found out about a product's text that later edits need without
-- parsing its doc: bit 0 = the text states a price (a price change must be scanned again).
-- Rows from before the scanner count as stating one, so their next price change is scanned.
ALTER TABLE products ADD COLUMN scan_flags INTEGER NOT NULL DEFAULT 1;
