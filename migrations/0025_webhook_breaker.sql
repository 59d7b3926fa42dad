-- The webhook circuit breaker (src/core/webhook-breaker.ts, src/store/webhook-breaker.ts): an
-- endpoint whose receiver keeps failing is paused by the hourly cron, as a manual pause would.
-- failing_since: unix ms of the first failed attempt since the last success (NULL: healthy);
-- failures: failed attempts since then, counted up to the rule's number only. Both are written
-- on a change of state only (a first failure, a success after failures), never per success.
ALTER TABLE webhook_endpoints ADD COLUMN failing_since INTEGER;
ALTER TABLE webhook_endpoints ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
-- Why a paused endpoint is paused: 'manual' (PATCH {enabled: false}) or 'failing' (the breaker).
-- NULL while not paused.
ALTER TABLE webhook_endpoints ADD COLUMN paused_reason TEXT;
UPDATE webhook_endpoints SET paused_reason = 'manual' WHERE paused_at IS NOT NULL;
