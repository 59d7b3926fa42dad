-- Webhook endpoints, their deliveries and every delivery attempt; dashboard sign-in sessions.

CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,                 -- "whe_" + 16 chars
  url TEXT NOT NULL,                   -- https (http only to localhost outside production)
  events TEXT NOT NULL,                -- JSON array of event types, or ["*"]
  -- The signing secret is not stored: it is HMAC-SHA256(signing key `secret_kid`, endpoint id),
  -- derived when signing, and shown to the caller once at creation.
  secret_kid TEXT NOT NULL,
  description TEXT,
  created_at INTEGER NOT NULL,         -- unix ms
  disabled_at INTEGER                  -- unix ms; DELETE disables (deliveries stay readable)
);
CREATE INDEX webhook_endpoints_created ON webhook_endpoints (created_at, id);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,                 -- "whd_" + endpoint suffix + "_" + event id: one per (endpoint, event)
  endpoint_id TEXT NOT NULL,
  event_id TEXT NOT NULL,              -- hops.event_id the event came from
  event_type TEXT NOT NULL,            -- handoff.scanned, poster.scanned, conversion, …
  payload TEXT NOT NULL,               -- the exact JSON body POSTed (same bytes on every attempt)
  status TEXT NOT NULL DEFAULT 'pending', -- pending | retrying | delivered | failed
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,         -- unix ms
  next_attempt_at INTEGER,             -- unix ms; when a retry is due
  delivered_at INTEGER                 -- unix ms
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at, id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,            -- 1, 2, …
  at INTEGER NOT NULL,                 -- unix ms
  status_code INTEGER,                 -- HTTP status, NULL when the request failed
  error TEXT,                          -- network error / timeout / non-2xx summary
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
) WITHOUT ROWID;
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);

CREATE TABLE dashboard_sessions (
  id_hash TEXT PRIMARY KEY,            -- SHA-256 of the cookie value; the cookie itself is never stored
  key_id TEXT NOT NULL,                -- API key that signed in ("admin" for the admin key)
  created_at INTEGER NOT NULL,         -- unix ms
  expires_at INTEGER NOT NULL          -- unix ms
);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);
