-- Daily rollups of the hop log, the unique-scanner sets behind them, and the dead-letter store.
-- Rollups are written by the hop writer in the same DB.batch() (one transaction) as the raw
-- rows, only from rows that batch actually inserted (`rolled_up = 0`), so a redelivered batch
-- counts nothing twice. They outlive raw hops, which the cron deletes after QB_HOP_RETENTION_DAYS.

-- 0 until the row has been counted into hop_daily / hop_daily_uniques (same transaction).
ALTER TABLE hops ADD COLUMN rolled_up INTEGER NOT NULL DEFAULT 0;

-- The export pages through hops in (at, event_id) order; this index serves it and retention.
CREATE INDEX hops_at_event ON hops (at, event_id);
DROP INDEX hops_at;
-- Scan → app open of poster scans is linked through the attribution session.
CREATE INDEX hops_session ON hops (session_id, hop) WHERE session_id IS NOT NULL;
-- Safety net: the cron rolls up any row a writer left uncounted; this index stays tiny.
CREATE INDEX hops_unrolled ON hops (at) WHERE rolled_up = 0;

-- Counts per day × kind × hop × store × campaign × poster × platform × in-app browser × bot.
-- Key columns use '' instead of NULL so that the primary key (and the upsert) sees one row.
CREATE TABLE hop_daily (
  day TEXT NOT NULL,                   -- YYYY-MM-DD (UTC)
  kind TEXT NOT NULL,                  -- handoff | poster | login
  hop TEXT NOT NULL,                   -- see hops.hop
  store_id TEXT NOT NULL DEFAULT '',
  campaign_id TEXT NOT NULL DEFAULT '',
  poster_id TEXT NOT NULL DEFAULT '',
  platform TEXT NOT NULL DEFAULT '',
  in_app TEXT NOT NULL DEFAULT '',
  bot INTEGER NOT NULL DEFAULT 0,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, kind, hop, store_id, campaign_id, poster_id, platform, in_app, bot)
) WITHOUT ROWID;

-- Who scanned (daily-rotated salted IP hash), per day and attribution, for unique-scanner
-- counts that survive raw-hop retention. Only human (bot = 0) `scanned` hops with an IP hash.
CREATE TABLE hop_daily_uniques (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  store_id TEXT NOT NULL DEFAULT '',
  campaign_id TEXT NOT NULL DEFAULT '',
  poster_id TEXT NOT NULL DEFAULT '',
  platform TEXT NOT NULL DEFAULT '',
  in_app TEXT NOT NULL DEFAULT '',
  ip_hash TEXT NOT NULL,
  PRIMARY KEY (day, kind, store_id, campaign_id, poster_id, platform, in_app, ip_hash)
) WITHOUT ROWID;

-- Backfill from hops written before this migration.
INSERT INTO hop_daily (day, kind, hop, store_id, campaign_id, poster_id, platform, in_app, bot, count)
SELECT day, kind, hop, IFNULL(store_id, ''), IFNULL(campaign_id, ''), IFNULL(poster_id, ''),
       IFNULL(platform, ''), IFNULL(in_app, ''), bot, COUNT(*)
FROM hops GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT OR IGNORE INTO hop_daily_uniques (day, kind, store_id, campaign_id, poster_id, platform, in_app, ip_hash)
SELECT day, kind, IFNULL(store_id, ''), IFNULL(campaign_id, ''), IFNULL(poster_id, ''),
       IFNULL(platform, ''), IFNULL(in_app, ''), ip_hash
FROM hops WHERE hop = 'scanned' AND bot = 0 AND ip_hash IS NOT NULL;
UPDATE hops SET rolled_up = 1;

-- Messages that exhausted their retries (the *-dlq queues' consumer stores them here), so
-- nothing is dropped silently and an operator can inspect and replay them.
CREATE TABLE dead_letters (
  id TEXT PRIMARY KEY,                 -- queue message id
  queue TEXT NOT NULL,                 -- the dead-letter queue it arrived on
  type TEXT,                           -- the message's `t` ("hop", "webhook", …)
  body TEXT NOT NULL,                  -- the message body as JSON
  attempts INTEGER NOT NULL,
  error TEXT,                          -- why, when known (e.g. "invalid hop row")
  received_at INTEGER NOT NULL,        -- unix ms
  replayed_at INTEGER                  -- unix ms, set when re-sent to its queue
);
CREATE INDEX dead_letters_received ON dead_letters (received_at);
