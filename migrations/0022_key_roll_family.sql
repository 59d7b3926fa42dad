-- The roll family of a key: the id of the first key of its roll chain (A → B → C: all three
-- hold A's id). Every key of one family is one caller (routes/middleware.ts): it opens the
-- handoffs any other created, replays their Idempotency-Key answers, and spends one rate budget,
-- counted under this id. Set at a roll on the old key (to its own id, when it had none) and
-- copied to the new one (store/key-changes.ts). NULL: never rolled nor rolled from, a family of
-- one, whose lookup reads no other row.
ALTER TABLE api_keys ADD COLUMN roll_family TEXT;
-- Keys rolled before this migration: follow each chain from its first key (rolled_from NULL).
WITH RECURSIVE chain(id, root) AS (
  SELECT id, id FROM api_keys WHERE rolled_from IS NULL AND rolled_to IS NOT NULL
  UNION ALL
  SELECT k.id, chain.root FROM api_keys k JOIN chain ON k.rolled_from = chain.id
)
UPDATE api_keys SET roll_family = (SELECT root FROM chain WHERE chain.id = api_keys.id)
WHERE id IN (SELECT id FROM chain);
-- A key's lookup reads its family, newest first, from this index alone (covering: id is in it).
CREATE INDEX api_keys_roll_family ON api_keys (roll_family, created_at, id)
  WHERE roll_family IS NOT NULL;
