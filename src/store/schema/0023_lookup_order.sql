-- Lookups run on every product event and every filing check, kept free of sorts and temporary
-- tables (each one opened a temporary B-tree per call: about 6% of a replay's time):
-- a product's live promotions are read in rid order (the status is checked on the row), and a
-- store's streamers in id order.
DROP INDEX promotions_product;
CREATE INDEX promotions_product ON promotions (product, rid);
DROP INDEX streamers_store;
CREATE INDEX streamers_store ON streamers (merchant, id) WHERE merchant IS NOT NULL;
