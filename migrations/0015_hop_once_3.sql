-- A fourth table of once-only app events (src/store/hop-rollups.ts): with four tables used a
-- week at a time (slot = unix week mod 4), a counted event is remembered at least 14 days
-- instead of 7, so a repeat of it (within its 7-day session) counted up to 7 days late is still
-- recognised. A once-only event counted later than that is set aside in dead_letters (`late:…`)
-- instead of counting a second time (src/store/hop-ingest.ts).
CREATE TABLE hop_once_3 (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
