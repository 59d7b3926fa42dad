-- API keys: only the SHA-256 hash of a key is stored; the key itself is shown once at creation.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,                 -- "key_" + 16 chars, public identifier
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('secret', 'publishable')),
  key_hash TEXT NOT NULL UNIQUE,       -- hex SHA-256 of the full key
  prefix TEXT NOT NULL,                -- first 12 characters, to recognise a key in lists
  scopes TEXT NOT NULL,                -- JSON array of scope strings
  origins TEXT NOT NULL DEFAULT '[]',  -- JSON array of allowed Origins (publishable keys)
  created_at INTEGER NOT NULL,         -- unix ms
  revoked_at INTEGER                   -- unix ms; revoked keys fail authentication
);
