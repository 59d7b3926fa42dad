-- A fourth table of once-only app events (src/store/hop-rollups.ts): with four tables used a
-- week at a time (slot = unix week mod 4), a counted event is remembered at least 14 days
-- instead of 7, so a repeat of it (within its 7-day session) counted up to 7 days late is still
-- recognised. A once-only event counted later than that is set aside in dead_letters (`late:…`)
-- instead of counting a second time (src/store/hop-ingest.ts).
CREATE TABLE hop_once_3 (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;

-- The envelope id of a hop message stored from a dead-letter queue (the writer's id in its body,
-- else the queue message id; src/store/dead-letter-store.ts). A batch that counts another copy
-- of it while the letter waits (not replayed) remembers that id in hop_resent, so the letter,
-- replayed however late, counts nothing. Indexed only for letters that wait.
ALTER TABLE dead_letters ADD COLUMN envelope TEXT;
CREATE INDEX dead_letters_envelope ON dead_letters (envelope)
  WHERE envelope IS NOT NULL AND replayed_at IS NULL;
