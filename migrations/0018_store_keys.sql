-- A key held to one store (routes/store-scope.ts): a chain gives each store manager a key that
-- reads only that store's funnel and hops. NULL: the key sees every store, as before. Such a key
-- holds only stats:read (routes/keys.ts). Not a foreign key: a store deleted anyway leaves the
-- key seeing nothing (403), never everything.
ALTER TABLE api_keys ADD COLUMN store_id TEXT;
