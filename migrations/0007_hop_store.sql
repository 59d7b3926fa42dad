-- The hop log at scale (docs/storage.md, docs/stats.md). A scan no longer writes rows of its
-- own to D1: the queue consumer folds each batch into daily rollup rows (counts, a unique-
-- scanner sketch and a delay histogram per key), keeps the raw hops in R2 (`HOP_ARCHIVE`), and
-- records in D1 only what it needs to count every message exactly once.

-- One row per day × kind × store × campaign × poster ('' = none), per day × kind (totals), and
-- per month × kind × store × campaign × poster (days folded in by the cron: hop_compacted).
-- Platform and in-app browser are folded into the values (core/rollup.ts): counts JSON
-- {hop: n, "hop@p:<platform>": n, "hop@i:<in-app>": n, "hop~<via>": n, "bot.<hop>": n, …};
-- scanners: sparse HyperLogLog registers {"p:<platform>:<register>": rank, "i:<in-app>:…": …}
-- of human scans' IP hashes (core/hll.ts); delays: {bucket: n, "p:…:bucket": n, …} of landing
-- page scan → app open (core/delay-histogram.ts). All three merge in SQL on upsert.
CREATE TABLE hop_rollups (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  store_id TEXT NOT NULL DEFAULT '',
  campaign_id TEXT NOT NULL DEFAULT '',
  poster_id TEXT NOT NULL DEFAULT '',
  counts TEXT NOT NULL DEFAULT '{}',
  scanners TEXT NOT NULL DEFAULT '{}',
  delays TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (day, kind, store_id, campaign_id, poster_id)
) WITHOUT ROWID;

CREATE TABLE hop_rollups_total (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  counts TEXT NOT NULL DEFAULT '{}',
  scanners TEXT NOT NULL DEFAULT '{}',
  delays TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (day, kind)
) WITHOUT ROWID;

CREATE TABLE hop_rollups_month (
  month TEXT NOT NULL,                 -- YYYY-MM
  kind TEXT NOT NULL,
  store_id TEXT NOT NULL DEFAULT '',
  campaign_id TEXT NOT NULL DEFAULT '',
  poster_id TEXT NOT NULL DEFAULT '',
  counts TEXT NOT NULL DEFAULT '{}',
  scanners TEXT NOT NULL DEFAULT '{}',
  delays TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (month, kind, store_id, campaign_id, poster_id)
) WITHOUT ROWID;

-- The days folded into hop_rollups_month, each exactly once (the fold's claim).
CREATE TABLE hop_compacted (
  day TEXT PRIMARY KEY,
  batch TEXT NOT NULL
) WITHOUT ROWID;

-- Consumer batches already counted: the ids of the queue messages (or spool objects) each one
-- counted, so a redelivered message counts nothing twice. Kept one day (the cron deletes older).
CREATE TABLE hop_batches (
  at INTEGER NOT NULL,                 -- unix ms of the commit
  id TEXT NOT NULL,                    -- batch id (time-ordered)
  messages TEXT NOT NULL,              -- JSON array of message ids
  PRIMARY KEY (at, id)
) WITHOUT ROWID;

-- Raw hop objects in R2, by the UTC hour of their hops: the export's index into the archive.
CREATE TABLE hop_objects (
  hour TEXT NOT NULL,                  -- YYYY-MM-DDTHH (UTC)
  key TEXT NOT NULL,                   -- R2 key: hops/dt=YYYY-MM-DD/hr=HH/<batch>.ndjson.gz
  rows INTEGER NOT NULL,
  created_at INTEGER NOT NULL,         -- unix ms
  PRIMARY KEY (hour, key)
) WITHOUT ROWID;

-- Raw hops of a counted batch until their R2 object is written (normally deleted a moment
-- later; the cron writes any left behind), so a crash between D1 and R2 loses no raw hop.
CREATE TABLE hop_raw_pending (
  key TEXT PRIMARY KEY,                -- the R2 key the body goes to
  body TEXT NOT NULL,                  -- NDJSON of the rows
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- App events that count once (deterministic `ev_…` ids): which were counted. Three tables, one
-- per week in turn (slot = unix week mod 3): the cron drops and recreates the slot of the week
-- to come, so forgetting a week costs no row deletes (attribution sessions last 7 days, so a
-- repeat can only come within the next week). hop_once_weeks says which week each slot holds.
CREATE TABLE hop_once_0 (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE hop_once_1 (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE hop_once_2 (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE hop_once_weeks (
  slot INTEGER PRIMARY KEY,            -- 0, 1, 2
  week INTEGER NOT NULL                -- floor(unix ms / 7 days) of the events it holds
);

-- A random salt per UTC day for IP hashes; deleted by the cron once the day is over, so no
-- one can reverse the hashes of a past day.
CREATE TABLE hop_salts (
  day TEXT PRIMARY KEY,                -- YYYY-MM-DD
  salt TEXT NOT NULL
) WITHOUT ROWID;

-- Rebuild the rollups from the tables they replace: counts per poster row with platform and
-- in-app browser folded in.
CREATE TABLE legacy_counts AS
SELECT day, kind, store_id, campaign_id, poster_id, name, SUM(n) AS n FROM (
  SELECT day, kind, store_id, campaign_id, poster_id, 'bot.' || hop AS name, count AS n
  FROM hop_daily WHERE bot = 1
  UNION ALL
  SELECT day, kind, store_id, campaign_id, poster_id, hop, count FROM hop_daily WHERE bot = 0
  UNION ALL
  SELECT day, kind, store_id, campaign_id, poster_id, hop || '@p:' || platform, count
  FROM hop_daily WHERE bot = 0
  UNION ALL
  SELECT day, kind, store_id, campaign_id, poster_id, hop || '@i:' || in_app, count
  FROM hop_daily WHERE bot = 0
) GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO hop_rollups (day, kind, store_id, campaign_id, poster_id, counts)
SELECT day, kind, store_id, campaign_id, poster_id, json_group_object(name, n)
FROM legacy_counts GROUP BY 1, 2, 3, 4, 5;
DROP TABLE legacy_counts;

-- Sketches from the unique-scanner sets: register = first 12 bits of the hash, rank = 1 +
-- leading zero bits of the next 52 (exactly as sketchEntry in core/hll.ts), per platform and
-- per in-app browser.
CREATE TABLE legacy_hashes AS
SELECT day, kind, store_id, campaign_id, poster_id, platform, in_app,
       (instr('0123456789abcdef', substr(ip_hash, 1, 1)) - 1) * 256
     + (instr('0123456789abcdef', substr(ip_hash, 2, 1)) - 1) * 16
     + (instr('0123456789abcdef', substr(ip_hash, 3, 1)) - 1) AS reg,
       CASE WHEN ltrim(substr(ip_hash, 4), '0') = '' THEN 53
            ELSE 1 + 4 * (13 - length(ltrim(substr(ip_hash, 4), '0')))
                 + CASE WHEN substr(ltrim(substr(ip_hash, 4), '0'), 1, 1) >= '8' THEN 0
                        WHEN substr(ltrim(substr(ip_hash, 4), '0'), 1, 1) >= '4' THEN 1
                        WHEN substr(ltrim(substr(ip_hash, 4), '0'), 1, 1) >= '2' THEN 2
                        ELSE 3 END
       END AS rank
FROM hop_daily_uniques
WHERE length(ip_hash) = 16 AND ip_hash GLOB '[0-9a-f]*';

CREATE TABLE legacy_entries AS
SELECT day, kind, store_id, campaign_id, poster_id, dim, reg, MAX(rank) AS rank FROM (
  SELECT day, kind, store_id, campaign_id, poster_id, 'p:' || platform AS dim, reg, rank FROM legacy_hashes
  UNION ALL
  SELECT day, kind, store_id, campaign_id, poster_id, 'i:' || in_app, reg, rank FROM legacy_hashes
) GROUP BY 1, 2, 3, 4, 5, 6, 7;

UPDATE hop_rollups SET scanners = (
  SELECT json_group_object(e.dim || ':' || e.reg, e.rank) FROM legacy_entries e
  WHERE e.day = hop_rollups.day AND e.kind = hop_rollups.kind
    AND e.store_id = hop_rollups.store_id AND e.campaign_id = hop_rollups.campaign_id
    AND e.poster_id = hop_rollups.poster_id
)
WHERE EXISTS (
  SELECT 1 FROM legacy_entries e
  WHERE e.day = hop_rollups.day AND e.kind = hop_rollups.kind
    AND e.store_id = hop_rollups.store_id AND e.campaign_id = hop_rollups.campaign_id
    AND e.poster_id = hop_rollups.poster_id
);
DROP TABLE legacy_entries;
DROP TABLE legacy_hashes;

-- Delays of the raw hops still present: a person's page scan → the app open of its session.
-- Buckets as in core/delay-histogram.ts: bucket k starts at 1.1^k ms.
CREATE TABLE legacy_delays AS
WITH RECURSIVE bounds(k, v) AS (
  SELECT 0, 1.0 UNION ALL SELECT k + 1, v * 1.1 FROM bounds WHERE v * 1.1 < 3456000000
),
pairs AS (
  SELECT a.day, a.kind, IFNULL(a.store_id, '') AS store_id, IFNULL(a.campaign_id, '') AS campaign_id,
         IFNULL(a.poster_id, '') AS poster_id, IFNULL(a.platform, '') AS platform,
         IFNULL(a.in_app, '') AS in_app, MIN(a.at - s.at) AS d
  FROM hops a JOIN hops s ON s.session_id = a.session_id AND s.hop = 'scanned' AND s.bot = 0
  WHERE a.hop = 'app_open' AND a.bot = 0 AND a.session_id IS NOT NULL
    AND s.detail LIKE '%"via":"page"%' AND a.at >= s.at
  GROUP BY a.event_id
),
bucketed AS (
  SELECT day, kind, store_id, campaign_id, poster_id, platform, in_app,
         (SELECT MAX(k) FROM bounds WHERE v <= MAX(d, 1)) AS bucket
  FROM pairs
)
SELECT day, kind, store_id, campaign_id, poster_id, name, COUNT(*) AS n FROM (
  SELECT day, kind, store_id, campaign_id, poster_id, CAST(bucket AS TEXT) AS name FROM bucketed
  UNION ALL
  SELECT day, kind, store_id, campaign_id, poster_id, 'p:' || platform || ':' || bucket FROM bucketed
  UNION ALL
  SELECT day, kind, store_id, campaign_id, poster_id, 'i:' || in_app || ':' || bucket FROM bucketed
) GROUP BY 1, 2, 3, 4, 5, 6;

UPDATE hop_rollups SET delays = (
  SELECT json_group_object(e.name, e.n) FROM legacy_delays e
  WHERE e.day = hop_rollups.day AND e.kind = hop_rollups.kind
    AND e.store_id = hop_rollups.store_id AND e.campaign_id = hop_rollups.campaign_id
    AND e.poster_id = hop_rollups.poster_id
)
WHERE EXISTS (
  SELECT 1 FROM legacy_delays e
  WHERE e.day = hop_rollups.day AND e.kind = hop_rollups.kind
    AND e.store_id = hop_rollups.store_id AND e.campaign_id = hop_rollups.campaign_id
    AND e.poster_id = hop_rollups.poster_id
);
DROP TABLE legacy_delays;

-- The totals by day: every poster row of a day merged (counts and delays added, sketches maxed).
INSERT INTO hop_rollups_total (day, kind, counts, scanners, delays)
SELECT d.day, d.kind,
  (SELECT json_group_object(key, v) FROM (SELECT j.key, SUM(j.value) AS v FROM hop_rollups r, json_each(r.counts) j
     WHERE r.day = d.day AND r.kind = d.kind GROUP BY j.key)),
  (SELECT json_group_object(key, v) FROM (SELECT j.key, MAX(j.value) AS v FROM hop_rollups r, json_each(r.scanners) j
     WHERE r.day = d.day AND r.kind = d.kind GROUP BY j.key)),
  (SELECT json_group_object(key, v) FROM (SELECT j.key, SUM(j.value) AS v FROM hop_rollups r, json_each(r.delays) j
     WHERE r.day = d.day AND r.kind = d.kind GROUP BY j.key))
FROM (SELECT DISTINCT day, kind FROM hop_rollups) d;

-- Once-only app events already counted stay counted once (in the slot of this week).
INSERT OR IGNORE INTO hop_once_0 (event_id, at)
SELECT event_id, at FROM hops
WHERE substr(event_id, 1, 3) = 'ev_' AND (CAST(strftime('%s', 'now') AS INTEGER) * 1000 / 604800000) % 3 = 0;
INSERT OR IGNORE INTO hop_once_1 (event_id, at)
SELECT event_id, at FROM hops
WHERE substr(event_id, 1, 3) = 'ev_' AND (CAST(strftime('%s', 'now') AS INTEGER) * 1000 / 604800000) % 3 = 1;
INSERT OR IGNORE INTO hop_once_2 (event_id, at)
SELECT event_id, at FROM hops
WHERE substr(event_id, 1, 3) = 'ev_' AND (CAST(strftime('%s', 'now') AS INTEGER) * 1000 / 604800000) % 3 = 2;

DROP TRIGGER hops_rollup;
DROP TABLE hop_daily;
DROP TABLE hop_daily_uniques;
DROP INDEX hops_subject;
DROP INDEX hops_day_hop;
DROP INDEX hops_session;
-- What is left of the raw table is moved to R2 by the cron, a chunk per run, then emptied.
ALTER TABLE hops RENAME TO legacy_hops;
