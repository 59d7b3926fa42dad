-- Compact unique-scanner sketches for finished days (src/core/compact-sketch.ts). A rollup row's
-- sketch is its compact sketch ∪ its JSON `scanners` (register-wise max): the JSON part is what
-- the queue consumer merges in SQL while a day is open (and late hops after); the cron moves a
-- finished day's JSON into the compact columns (src/store/sketch-compaction.ts) and resets
-- `scanners` to '{}'. Base64 TEXT rather than BLOB: D1 returns a BLOB to the Worker as an array
-- of numbers, several times slower to read (docs/storage.md).
--   sketch_all:  every human scanner of the row (the union of its platform sketches), what a
--                funnel not grouped by platform or in-app browser reads;
--   sketch_dims: one sketch per dimension (`p:<platform>`, `i:<in-app>`), with their names.
ALTER TABLE hop_rollups ADD COLUMN sketch_all TEXT;
ALTER TABLE hop_rollups ADD COLUMN sketch_dims TEXT;
ALTER TABLE hop_rollups_total ADD COLUMN sketch_all TEXT;
ALTER TABLE hop_rollups_total ADD COLUMN sketch_dims TEXT;
ALTER TABLE hop_rollups_month ADD COLUMN sketch_all TEXT;
ALTER TABLE hop_rollups_month ADD COLUMN sketch_dims TEXT;

-- 1 once a folded day's rows are compact (and its month rows hold its sketches in compact
-- form); NULL for the days folded before this migration, which the cron converts a bounded
-- number of rows per run, their month rows with them.
ALTER TABLE hop_compacted ADD COLUMN sketched INTEGER;
