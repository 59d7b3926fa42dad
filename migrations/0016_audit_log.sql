-- Who changed what through the API or the console (src/store/audit-log.ts): one row per successful
-- change, written in the same D1 batch as the change where the store code allows it. Traffic
-- (handoffs, logins, scans, app events) is not here: it is in the hop log.
-- id: rowid, increasing; pages go newest first by (at, id).
-- actor: the key id (`key_…`, or "admin"); via: 'api' (a bearer key) or 'console' (a dashboard
-- session of that key). changes: small JSON of what changed; never a secret, key text, webhook
-- secret, or a handoff's payload. Deleted after QB_AUDIT_RETENTION_DAYS by the hourly cron.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,                 -- unix ms
  actor TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('api', 'console')),
  action TEXT NOT NULL,                -- e.g. poster.update, key.revoke
  subject_type TEXT NOT NULL,          -- poster, store, campaign, key, webhook, dead_letter
  subject_id TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at, id);
CREATE INDEX audit_log_actor ON audit_log (actor, at, id);

-- When a key last authenticated a request (unix ms), written at most once an hour per key
-- (src/routes/middleware.ts): to tell whether anything still uses a key before revoking it.
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
