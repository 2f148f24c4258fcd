-- A badge's `since` is when it entered its state (docs/badge.md). The first services a store set
-- used to stamp it even when the badge stayed `ineligible`, the state every store starts in: a
-- badge that never changed state (no badge.state_changed of its store in the log) has none.
UPDATE badges SET since = 0
WHERE state = 'ineligible'
  AND merchant NOT IN (SELECT subject FROM events
                       WHERE type = 'badge.state_changed' AND subject IS NOT NULL);
