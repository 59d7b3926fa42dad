-- Idempotency-Key on the API's creates (routes/idempotency.ts, store/idempotency.ts). One row per
-- (caller's API key id, hash of the header value): claimed by the first request (the primary key
-- makes the claim atomic), then holding its answer, sealed (AES-GCM under a key derived from the
-- signing key and the header value) because a create's answer may carry a secret shown once.
-- `lease_until` > 0 while the first request runs; a claim whose lease passed was left by a
-- Worker that died and may be taken over. The hourly cron deletes rows after 24 h.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  kid TEXT,
  answer BLOB
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
