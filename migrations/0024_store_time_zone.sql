-- A store's own reporting time zone (docs/stats.md "Days and the reporting time zone"): an IANA
-- name, canonical as src/core/time-zone.ts `timeZoneName` returns it; NULL = the deployment's
-- (QB_REPORTING_TIME_ZONE). Its posters' hops count on the store's local days.
ALTER TABLE stores ADD COLUMN time_zone TEXT;
-- The zones in use (the cron, the funnel and the export read them): the stores that carry one.
CREATE INDEX stores_time_zone ON stores (time_zone) WHERE time_zone IS NOT NULL;
