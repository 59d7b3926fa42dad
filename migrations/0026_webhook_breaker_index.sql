-- The webhook breaker's hourly check (src/store/webhook-breaker.ts) reads only the endpoints it
-- may pause: not deleted, not paused, in a failing run. Without this it scanned every endpoint,
-- deleted ones included, twice an hour. Partial, so a healthy, paused or deleted endpoint has no
-- entry and costs no index write.
CREATE INDEX webhook_endpoints_failing ON webhook_endpoints (failing_since)
  WHERE failing_since IS NOT NULL AND disabled_at IS NULL AND paused_at IS NULL;
