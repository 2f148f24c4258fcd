-- conversion_outlier compares a promoter's conversion of an item with the item's over every
-- promoter (docs/affiliate.md). A database announces its own count of an item when it changes
-- (event affiliate.item_counted; the last one announced is kept here), and keeps the counts
-- other sources announced (command affiliate.item_rates: per source, the one with the greatest
-- seq), which it adds to its own. In single-node mode there is no other source; in cluster mode
-- each partition holds its own promoters' orders, and the others are the other partitions.
CREATE TABLE aff_item_counts (
  item TEXT PRIMARY KEY,
  paid INTEGER NOT NULL,
  confirmed INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE aff_item_sources (
  item TEXT NOT NULL,
  source TEXT NOT NULL,
  seq INTEGER NOT NULL,
  paid INTEGER NOT NULL,
  confirmed INTEGER NOT NULL,
  PRIMARY KEY (item, source)
) WITHOUT ROWID;
