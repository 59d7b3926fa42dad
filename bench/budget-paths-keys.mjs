// The API keys' own paths: a key rolled, and a call with the key a roll ended (its grace 0),
// from the isolate's key cache and from D1. An expired key is checked on every request
// (routes/middleware.ts), cached or not; its `last_used_at` was noted within the hour here,
// as for any key in use, so no write is due.

import { handoffCreate, ok, times } from "./budget-seed.mjs";
import { ADMIN_KEY } from "./miniflare-bench.mjs";

const admin = { key: ADMIN_KEY };

/** `n` keys, each used once (its `last_used_at` noted), then rolled with no grace. */
async function rolledKeys(s, n, w) {
  return times(n, async () => {
    const { id, key } = await s.mintKey();
    await ok(w.send(...handoffCreate(key)), 201, "first use");
    await ok(w.send(`/v1/keys/${id}/roll`, { ...admin, json: { expires_in: 0 } }), 201, "roll");
    return key;
  });
}

/**
 * `n` keys, each the newest of a roll chain of three (A → B → C, each roll with a day's grace),
 * used once (its `last_used_at` noted this hour).
 */
async function chainedKeys(s, n, w) {
  return times(n, async () => {
    let { id, key } = await s.mintKey();
    for (let i = 0; i < 2; i++) {
      const res = await ok(w.send(`/v1/keys/${id}/roll`, { ...admin, json: {} }), 201, "roll");
      ({ id, key } = res.json());
    }
    await ok(w.send(...handoffCreate(key)), 201, "first use");
    return key;
  });
}

export const KEY_PATHS = [
  {
    // Its lookup reads its roll family too (store/key-family.ts): the keys of its chain.
    name: "handoff create (newest key of a roll chain of 3, not cached, used this hour)",
    async prepare(s, n, w) {
      const keys = await chainedKeys(s, n, w);
      await w.send("/__bench/forget-keys");
      return keys;
    },
    request: handoffCreate,
    status: 201,
  },
  {
    name: "key roll POST /v1/keys/:id/roll (admin key)",
    prepare: (s, n) => times(n, async () => (await s.mintKey()).id),
    request: (id) => [`/v1/keys/${id}/roll`, { ...admin, json: {} }],
    status: 201,
  },
  {
    // Each old key refused once unmeasured, after every roll (a roll forgets the isolate's keys).
    name: "call with an expired key → 401 (key cached)",
    async prepare(s, n, w) {
      const keys = await rolledKeys(s, n, w);
      for (const key of keys) await ok(w.send(...handoffCreate(key)), 401, "expired");
      return keys;
    },
    request: handoffCreate,
    status: 401,
    body: /"key_expired"/,
  },
  {
    name: "call with an expired key → 401 (key not cached)",
    async prepare(s, n, w) {
      const keys = await rolledKeys(s, n, w);
      await w.send("/__bench/forget-keys");
      return keys;
    },
    request: handoffCreate,
    status: 401,
    body: /"key_expired"/,
  },
];
