-- Keys that end on their own: a key rolled (POST /v1/keys/:id/roll) keeps working through its
-- grace period, then is refused (401 key_expired); a temporary key is minted with one. Checked
-- on every request against the request's clock, cached row or not (routes/middleware.ts).
-- NULL: the key lives until revoked, as before.
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
-- The key a roll made to replace this one. Set once: a key is rolled at most once (a second
-- roll is a 409 naming this successor), so one roll never leaves two live successors.
ALTER TABLE api_keys ADD COLUMN rolled_to TEXT;
-- The key this one was rolled from. The two are one caller while both work: each may watch and
-- steer the handoffs the other created (store/handoff-access.ts), so a fleet half moved to the
-- new key keeps its handoffs working through the grace.
ALTER TABLE api_keys ADD COLUMN rolled_from TEXT;
