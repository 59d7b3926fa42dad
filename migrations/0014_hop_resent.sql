-- Hop messages the writer sent again because a send's answer was lost (it may have been taken
-- all the same), counted: their envelope ids (src/store/hop-ingest.ts). A first delivery is
-- not otherwise looked up in `hop_batches` (that lookup reads every recent batch); it is looked
-- up here instead, by primary key, so a copy counted first makes the other count nothing,
-- whichever arrives first. Only resends write a row (rare: a queue refusing or failing), and the
-- cron deletes them after the queue's longest retention (14 days).
CREATE TABLE hop_resent (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
