-- A store's own reporting time zone (docs/stats.md "Days and the reporting time zone"): an IANA
-- name, canonical as src/core/time-zone.ts `timeZoneName` returns it; NULL = the deployment's
-- (QB_REPORTING_TIME_ZONE). Its posters' hops count on the store's local days.
ALTER TABLE stores ADD COLUMN time_zone TEXT;
-- Every zone a store has carried (store/store-zones.ts), written with the store that sets it and
-- never removed: hops stay filed under the days of a zone after a store leaves it, so the cron,
-- the funnel and the export go on reading it. One row per zone (a few hundred at most), read
-- whole where a read of the stores would grow with the stores.
CREATE TABLE store_time_zones (
  zone TEXT PRIMARY KEY,
  first_used_at INTEGER NOT NULL -- unix ms
);
