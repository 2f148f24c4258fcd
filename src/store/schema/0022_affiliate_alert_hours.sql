-- A paid order reported late moves the baseline of the hours after it: the alerts of its
-- promoter in those hours are looked at again (docs/affiliate.md), found by promoter and hour.
CREATE INDEX aff_alerts_by_hour ON aff_alerts (promoter, hour);
