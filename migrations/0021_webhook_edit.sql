-- Webhook endpoints that can be paused and whose secret can be rotated (PATCH /v1/webhooks/:id,
-- POST /v1/webhooks/:id/rotate-secret). No secret is stored, as before: a rotated secret is
-- HMAC-SHA256(signing key `secret_kid`, "qrbridge.whsec." + id + "." + `secret_salt`), so a copy of
-- the database still cannot sign. `secret_salt` NULL is the secret the endpoint was created with.
ALTER TABLE webhook_endpoints ADD COLUMN secret_salt TEXT;
-- The secret a rotation replaced, still signing (beside the new one) until it expires; the
-- hourly cron clears the three columns once it has.
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_kid TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_salt TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_expires_at INTEGER; -- unix ms
-- unix ms; set while paused: its deliveries are recorded `held` and sent on resume.
ALTER TABLE webhook_endpoints ADD COLUMN paused_at INTEGER;
