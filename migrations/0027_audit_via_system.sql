-- audit_log.via takes 'system' too: a change the bridge makes itself (the webhook circuit
-- breaker's pause, actor 'system'), which 0016's CHECK ('api' or 'console') made it log as 'api'.
-- SQLite cannot alter a CHECK, so the table is rebuilt: a new one, every row copied (ids kept; a
-- breaker pause logged before this, actor 'system' — no key or session has that id — becomes
-- via 'system' as it is logged now), the old one dropped, the new one renamed and the indexes
-- made again. Writes each row once more, with its 3 index entries.
CREATE TABLE audit_log_0027 (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,                 -- unix ms
  actor TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('api', 'console', 'system')),
  action TEXT NOT NULL,                -- e.g. poster.update, key.revoke
  subject_type TEXT NOT NULL,          -- poster, store, campaign, key, webhook, dead_letter
  subject_id TEXT NOT NULL,
  changes TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO audit_log_0027 (id, at, actor, via, action, subject_type, subject_id, changes)
  SELECT id, at, actor, CASE actor WHEN 'system' THEN 'system' ELSE via END, action, subject_type,
    subject_id, changes
  FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_0027 RENAME TO audit_log;
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at, id);
CREATE INDEX audit_log_actor ON audit_log (actor, at, id);
