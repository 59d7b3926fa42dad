-- The hop log: one row per step of a handoff, poster scan or login. Written by the queue
-- consumer (or directly without a queue), idempotent on event_id.
CREATE TABLE hops (
  event_id TEXT PRIMARY KEY,           -- random id given on the request path; a retried batch re-inserts nothing
  at INTEGER NOT NULL,                 -- unix ms
  day TEXT NOT NULL,                   -- YYYY-MM-DD (UTC) of `at`
  kind TEXT NOT NULL,                  -- handoff | poster | login
  subject_id TEXT NOT NULL,            -- handoff/login id, or poster id
  hop TEXT NOT NULL,                   -- created, rendered, scanned, previewed, landing, app_open, redeemed, approved, denied, cancelled, expired, converted, rejected
  store_id TEXT,
  campaign_id TEXT,
  poster_id TEXT,
  session_id TEXT,                     -- attribution session (poster scans) for conversions
  platform TEXT,                       -- ios | android | desktop | other
  in_app TEXT,                         -- in-app browser (wechat, instagram, …) or NULL
  country TEXT,                        -- request.cf.country
  colo TEXT,                           -- request.cf.colo
  referrer_host TEXT,                  -- host of the Referer only, never the full URL
  ip_hash TEXT,                        -- salted, daily-rotated SHA-256 prefix; never the raw IP
  bot INTEGER NOT NULL DEFAULT 0,      -- 1 for previewers, crawlers, scanners, prefetch
  ms_since_created INTEGER,            -- time since the subject was created
  detail TEXT                          -- small JSON
);
CREATE INDEX hops_at ON hops (at);
CREATE INDEX hops_subject ON hops (subject_id, hop);
CREATE INDEX hops_day_hop ON hops (day, hop);
