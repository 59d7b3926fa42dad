// A key rolled twice inside the first roll's grace (A → B → C: B leaked right after the first
// roll, so it was rolled at once) is one caller with every key of its chain, not only with its
// neighbours: C opens A's handoffs, a retry with C of A's Idempotency-Key replays A's answer,
// and A and C spend one rate budget. A key of another chain, even one made to look the same
// (same name, scopes, origins), is never linked. Neighbours only: keys-roll*.test.ts; long
// chains, migration 0022 and what a lookup reads: keys-roll-chain-store.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { RATE_LIMITS } from "../../src/limits";
import { rollKey } from "../../src/store/key-changes";
import { CACHE_MS } from "../../src/store/keys";
import { consoleCall, session } from "./console-helpers";
import { createHandoff } from "./handoffs-helpers";
import { ADMIN_KEY, call, statusTally } from "./helpers";
import { db, post, unique } from "./idempotency-helpers";
import {
  CHAIN_SCOPES,
  chain,
  clockAt,
  mint,
  opens,
  rolled,
  SHOP,
  storesCall,
  T0,
} from "./key-roll-helpers";
import { limitedWorker, newVerifier } from "./logins-helpers";

afterEach(() => vi.useRealTimers());

const storesNamed = async (name: string) =>
  (await db
    .prepare("SELECT COUNT(*) AS n FROM stores WHERE name = ?")
    .bind(name)
    .first<{ n: number }>())!.n;

/** A visible-ASCII Idempotency-Key for the create of `name`. */
const keyOf = (name: string) => `k-${name.replace(/ /g, "-")}`;

describe("every key of a roll chain that works is one caller", () => {
  it("each key opens and cancels the handoffs any other of the chain created; a look-alike key none", async () => {
    clockAt(T0);
    const { a, b, c } = await chain();
    // The attacker's key: minted with the same name and scopes, and rolled itself.
    const lookAlike = await mint({ scopes: CHAIN_SCOPES });
    const lookAlikeNext = await rolled(lookAlike.id);
    const made = {
      a: await createHandoff(a.key),
      b: await createHandoff(b.key),
      c: await createHandoff(c.key),
    };
    for (const h of Object.values(made))
      for (const k of [a, b, c]) expect(await opens(h.id, k.key), `${k.id} on ${h.id}`).toBe(200);
    for (const h of Object.values(made))
      for (const k of [lookAlike, lookAlikeNext]) expect(await opens(h.id, k.key)).toBe(403);
    const theirs = await createHandoff(lookAlikeNext.key);
    for (const k of [a, b, c]) expect(await opens(theirs.id, k.key)).toBe(403);
    const cancel = await call(`/v1/handoffs/${made.a.id}`, { method: "DELETE", key: c.key });
    expect(cancel.status).toBe(200);
    const stolen = await call(`/v1/handoffs/${made.c.id}`, {
      method: "DELETE",
      key: lookAlikeNext.key,
    });
    expect(stolen.status).toBe(403);
  });

  it("a retry with C of A's Idempotency-Key replays A's answer (and the other way); nothing twice", async () => {
    const { a, b, c } = await chain();
    const name = unique("chain store");
    const first = await post("/v1/stores", a.key, { name }, keyOf(name));
    expect(first.status).toBe(201);
    const made = (await first.json()) as { id: string };
    const again = await post("/v1/stores", c.key, { name }, keyOf(name));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(made.id);
    // Another request under that value with C: a reuse, as with A's own key.
    expect((await post("/v1/stores", c.key, { name: `${name} 2` }, keyOf(name))).status).toBe(422);

    const name2 = unique("chain store");
    expect((await post("/v1/stores", c.key, { name: name2 }, keyOf(name2))).status).toBe(201);
    for (const k of [a, b]) {
      const replay = await post("/v1/stores", k.key, { name: name2 }, keyOf(name2));
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
    }
    expect([await storesNamed(name), await storesNamed(name2)]).toEqual([1, 1]);

    // A look-alike key with the same value makes its own store, never the chain's answer.
    const lookAlike = await mint({ scopes: CHAIN_SCOPES });
    const own = await post("/v1/stores", lookAlike.key, { name }, keyOf(name));
    expect(own.status).toBe(201);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
    expect(await storesNamed(name)).toBe(2);
  });

  it("A and C spend one login-exchange budget (under the chain's first key); a look-alike its own", async () => {
    const w = limitedWorker();
    const { a, c } = await chain();
    const exchange = (key: string) =>
      w.post(
        "/v1/logins/exchange",
        { ticket: "NOTATICKET", code_verifier: newVerifier() },
        { authorization: `Bearer ${key}`, "cf-connecting-ip": "192.0.2.241" },
      );
    const statuses: number[] = [];
    while (statuses.length < RATE_LIMITS.loginExchange + 50) {
      const keys = [a.key, c.key];
      const round = await Promise.all(Array.from({ length: 50 }, (_, i) => exchange(keys[i % 2]!)));
      statuses.push(...round.map((r) => r.status));
    }
    expect(statusTally(statuses)).toEqual({ 400: RATE_LIMITS.loginExchange, 429: 50 });
    const lookAlike = await mint({ scopes: CHAIN_SCOPES });
    expect((await exchange(lookAlike.key)).status).toBe(400);
  });

  it("publishable A and C spend one create budget per client", async () => {
    const w = limitedWorker();
    const pk = { kind: "publishable", scopes: ["logins:write"], origins: [SHOP] };
    const { a, c } = await chain(pk);
    const create = (key: string) =>
      w.post(
        "/v1/logins",
        { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
        { authorization: `Bearer ${key}`, origin: SHOP, "cf-connecting-ip": "192.0.2.242" },
      );
    const keys = [a.key, c.key];
    const n = RATE_LIMITS.publishable + 10;
    const sent = await Promise.all(Array.from({ length: n }, (_, i) => create(keys[i % 2]!)));
    expect(statusTally(sent.map((r) => r.status))).toEqual({
      201: RATE_LIMITS.publishable,
      429: 10,
    });
    const lookAlike = await mint(pk);
    expect((await create(lookAlike.key)).status).toBe(201);
  });
});

describe("a key of the chain that ends", () => {
  it("A's grace over: A is refused; B and C still one caller, and still find what A left", async () => {
    clockAt(T0);
    const { a, b, c } = await chain({}, 600);
    const fromA = await createHandoff(a.key, { ttl: 900 });
    const fromB = await createHandoff(b.key, { ttl: 900 });
    const name = unique("made by A");
    expect((await post("/v1/stores", a.key, { name }, keyOf(name))).status).toBe(201);
    clockAt(T0 + 600_000);
    expect(await storesCall(a.key)).toEqual({ status: 401, error: "key_expired" });
    expect(await opens(fromB.id, a.key)).toBe(401);
    expect(await opens(fromB.id, c.key)).toBe(200);
    // A's handoff still running when A ended, and a retry of A's create: the fleet on C keeps
    // both (the retry replays: a second store would be the double a roll must not make).
    expect(await opens(fromA.id, c.key)).toBe(200);
    const retry = await post("/v1/stores", c.key, { name }, keyOf(name));
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await storesNamed(name)).toBe(1);
  });

  it("B revoked (it leaked): B is refused, A and C stay one caller", async () => {
    const { a, b, c } = await chain();
    const fromA = await createHandoff(a.key);
    const fromC = await createHandoff(c.key);
    const revoke = await call(`/v1/keys/${b.id}`, { method: "DELETE", key: ADMIN_KEY });
    expect(revoke.status).toBe(200);
    expect(await opens(fromA.id, b.key)).toBe(401);
    expect(await opens(fromA.id, c.key)).toBe(200);
    expect(await opens(fromC.id, a.key)).toBe(200);
  });
});

describe("an isolate that cached a key of the chain before it was rolled again", () => {
  // The roll is written straight to D1, as another isolate's request would.
  it("the new key is one caller with the chain at once; the cached one within the cache's 30 s", async () => {
    clockAt(T0);
    const { a, c } = await chain();
    const fromA = await createHandoff(a.key);
    const fromC = await createHandoff(c.key);
    const out = await rollKey(db, c.id, 86_400, T0, { actor: "admin", via: "api" });
    if (out.kind !== "ok") throw new Error(out.kind);
    const fromD = await createHandoff(out.key);
    expect([await opens(fromA.id, out.key), await opens(fromC.id, out.key)]).toEqual([200, 200]);
    clockAt(T0 + CACHE_MS);
    expect([await opens(fromD.id, a.key), await opens(fromD.id, c.key)]).toEqual([200, 200]);
  });
});

describe("a console session of a key of the chain", () => {
  // The console's CSV import keys each batch by the file (store/idempotency.ts): an operator whose
  // session ended with A's grace signs in with C and imports the same file again.
  it("replays what a session (or a server) with A created under the same Idempotency-Key", async () => {
    const signsIn = { scopes: [...CHAIN_SCOPES, "stats:read"] };
    const { a, c } = await chain(signsIn);
    const name = unique("chain import");
    const posters = [{ name, path: "/a" }];
    const headers = { "idempotency-key": keyOf(name) };
    const withA = await session(a.key);
    const first = await consoleCall(withA, "POST", "/v1/posters/batch", { posters }, headers);
    expect(first.status).toBe(201);
    const withC = await session(c.key);
    const again = await consoleCall(withC, "POST", "/v1/posters/batch", { posters }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    const bearer = await post("/v1/posters/batch", a.key, { posters }, keyOf(name));
    expect(bearer.headers.get("idempotent-replayed")).toBe("true");
    const count = await db
      .prepare("SELECT COUNT(*) AS n FROM posters WHERE name = ?")
      .bind(name)
      .first<{ n: number }>();
    expect(count!.n).toBe(1);
    // A look-alike key's session: its own import, not the chain's answer.
    const other = await session((await mint(signsIn)).key);
    const own = await consoleCall(other, "POST", "/v1/posters/batch", { posters }, headers);
    expect(own.status).toBe(201);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
  });
});
