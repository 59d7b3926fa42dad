-- A paused endpoint holds its deliveries for a bounded time and number (src/core/webhook-hold-limits.ts):
-- the hourly cron marks those past the limits `expired`, and the endpoint counts them.

-- Held deliveries of one endpoint, oldest first: the cron's count and oldest-first pick, a
-- resume's release and the endpoint view's count read only these rows, never the whole log.
CREATE INDEX webhook_deliveries_held ON webhook_deliveries (endpoint_id, created_at, id)
  WHERE status = 'held';
-- What the current (or last) pause did not keep: how many deliveries were marked `expired`, and
-- the creation times (unix ms) of the oldest and newest of them. Reset when a new pause starts.
ALTER TABLE webhook_endpoints ADD COLUMN hold_expired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_endpoints ADD COLUMN hold_expired_from INTEGER;
ALTER TABLE webhook_endpoints ADD COLUMN hold_expired_to INTEGER;
