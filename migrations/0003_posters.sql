-- Stores, campaigns and posters: the offline → app tributary. D1 is the source of truth; the
-- scan path reads posters through the KV cache `poster:<id>` (see docs/storage.md).
CREATE TABLE stores (
  id TEXT PRIMARY KEY,                 -- "st_" + 12 chars
  name TEXT NOT NULL,
  address TEXT,
  ref TEXT,                            -- the company's own store number, free text
  metadata TEXT NOT NULL DEFAULT '{}', -- small JSON object
  created_at INTEGER NOT NULL,         -- unix ms
  updated_at INTEGER NOT NULL          -- unix ms
);
CREATE INDEX stores_created ON stores (created_at, id);

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,                 -- "cp_" + 12 chars
  name TEXT NOT NULL UNIQUE,           -- posters name their campaign; created on first use
  created_at INTEGER NOT NULL          -- unix ms
);

CREATE TABLE posters (
  id TEXT PRIMARY KEY,                 -- 6 base32 chars, the id inside the printed code
  code TEXT NOT NULL UNIQUE,           -- 10 chars: id + 4-char MAC (display form XXXXX-XXXXX)
  name TEXT NOT NULL,
  store_id TEXT REFERENCES stores (id),
  campaign_id TEXT REFERENCES campaigns (id),
  path TEXT NOT NULL,                  -- in-app path the scan opens ("/menu"); re-targetable
  params TEXT NOT NULL DEFAULT '{}',   -- JSON object of string values handed to the app
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'revoked')),
  active_from INTEGER,                 -- unix ms; NULL = no start
  active_until INTEGER,                -- unix ms, exclusive; NULL = no end
  created_at INTEGER NOT NULL,         -- unix ms
  updated_at INTEGER NOT NULL,         -- unix ms
  deleted_at INTEGER,                  -- unix ms; DELETE revokes and hides, the row stays for stats
  version INTEGER NOT NULL DEFAULT 1   -- bumped by every change
);
CREATE INDEX posters_created ON posters (created_at, id);
CREATE INDEX posters_store ON posters (store_id, created_at, id);
CREATE INDEX posters_campaign ON posters (campaign_id, created_at, id);
