// Idempotency-Key, a create and its answer written together: every D1 create under
// `idempotent()` writes its rows and its sealed answer in one batch. A write of the answer that
// fails takes the create with it (a 500, nothing made, the retry creates once); a request whose
// claim a retry took over after the lease writes nothing (409), the retry's create is the one.
// Before, each of these left two creates for one intended: the answer lost after the create
// committed, the retry after the lease created again.

import { env } from "cloudflare:workers";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_LEASE_MS, isClaimLost } from "../../src/core/idempotency";
import type { Env } from "../../src/env";
import { answerStatements, claimKey, releaseKey } from "../../src/store/idempotency";
import { call, mintSecretKey } from "./helpers";
import { testConfig } from "./hop-helpers";
import {
  answerRefusingDb,
  CREATES,
  disableTestEndpoints,
  sendWith,
  stallingDb,
} from "./idempotency-atomic-helpers";
import { db, post } from "./idempotency-helpers";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(disableTestEndpoints);

const asIs = (d1: D1Database) => d1;

describe("the answer's write failing", () => {
  for (const [what, make] of Object.entries(CREATES)) {
    it(`${what}: fails the create with it; the retry after the lease creates once, then replays`, async () => {
      const c = await make();
      const idem = `answer-lost-${crypto.randomUUID()}`;
      vi.spyOn(console, "error").mockImplementation(() => {});
      const first = await sendWith(answerRefusingDb, c, idem);
      expect(first.status).toBe(500);
      expect(await c.count()).toBe(0);
      // Past the lease: a claim left behind would be taken over here.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
      const retry = await sendWith(asIs, c, idem);
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBeNull();
      const again = await sendWith(asIs, c, idem);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(await retry.json());
      expect(await c.count()).toBe(c.once);
    });
  }
});

describe("a claim taken over while its create ran", () => {
  // A key roll and a campaign are left out: the takeover's create makes the stalled one refused
  // on its own (the key is rolled already, the name taken), as it always was.
  const cases = ["poster", "poster batch", "store", "webhook", "key", "webhook secret rotation"];
  for (const what of cases) {
    it(`${what}: the stalled request writes nothing (409); the retry's create is the one`, async () => {
      const c = await CREATES[what]!();
      const idem = `taken-over-${crypto.randomUUID()}`;
      let retry: Response | undefined;
      // The first request claimed the key and stalls before its batch past the lease; a retry
      // takes the claim over and creates.
      const stalled = await sendWith(
        (d1) =>
          stallingDb(d1, async () => {
            vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
            retry = await sendWith(asIs, c, idem);
          }),
        c,
        idem,
      );
      expect(retry!.status).toBe(201);
      expect(stalled.status).toBe(409);
      expect(((await stalled.json()) as { error: string }).error).toBe("idempotency_in_progress");
      expect(stalled.headers.get("retry-after")).toBe("2");
      expect(await c.count()).toBe(c.once);
      const again = await sendWith(asIs, c, idem);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(await retry!.json());
      expect(await c.count()).toBe(c.once);
    });
  }
});

describe("a busy day", () => {
  it("6 identical requests at once, for each create: one creates, the rest wait (409) or replay it", async () => {
    for (const [what, make] of Object.entries(CREATES)) {
      const c = await make();
      const idem = `at-once-${crypto.randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => post(c.path, c.key, c.body, idem)),
      );
      const fresh = answers.filter(
        (r) => r.status === 201 && r.headers.get("idempotent-replayed") === null,
      );
      expect(fresh.length, what).toBe(1);
      for (const r of answers) expect([201, 409], what).toContain(r.status);
      expect(await c.count(), what).toBe(c.once);
    }
  });

  it("a campaign another request creates while a poster naming it is on its way: one campaign, the answer names it", async () => {
    const campaign = `atomic race ${crypto.randomUUID()}`;
    const c = await CREATES.poster!();
    const a = { ...c, body: { name: "a", path: "/x", campaign } };
    let b: Response | undefined;
    // The first read found no such campaign; the other request creates it before the batch.
    const first = await sendWith(
      (d1) =>
        stallingDb(d1, async () => {
          b = await post("/v1/posters", c.key, { name: "b", path: "/x", campaign });
        }),
      a,
      "race-a",
    );
    expect([first.status, b!.status]).toEqual([201, 201]);
    const ids = await Promise.all(
      [first, b!].map(async (r) => ((await r.json()) as { campaign_id: string }).campaign_id),
    );
    expect(ids[0]).toMatch(/^cp_/);
    expect(ids[0]).toBe(ids[1]);
    const replay = await sendWith(asIs, a, "race-a");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replay.json()) as { campaign_id: string }).campaign_id).toBe(ids[0]);
  });
});

describe("handoffs, made in a Durable Object and not in D1", () => {
  const handoffCase = async () => ({
    path: "/v1/handoffs",
    key: await mintSecretKey(),
    body: { payload: { cart: "atomic" }, ttl: 900 },
    once: 1,
    count: async () => 0,
  });
  const watched = (id: string, watch: string) => call(`/v1/handoffs/${id}?watch=${watch}`);

  it("an answer lost after the handoff was made: the retry after the lease answers that handoff, and makes none", async () => {
    const c = await handoffCase();
    const idem = `handoff-${crypto.randomUUID()}`;
    vi.spyOn(console, "error").mockImplementation(() => {});
    const first = await sendWith(answerRefusingDb, c, idem);
    expect(first.status).toBe(201);
    const made = (await first.json()) as { id: string; watch: string };
    // Within the lease the key is held.
    expect((await post(c.path, c.key, c.body, idem)).status).toBe(409);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
    const retry = await post(c.path, c.key, c.body, idem);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(made);
    expect((await watched(made.id, made.watch)).status).toBe(200);
    const again = await post(c.path, c.key, c.body, idem);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(made);
  });

  it("a request whose claim was taken over before its handoff was made: the retry makes it with the first one's ids; the first answers 409", async () => {
    const c = await handoffCase();
    const idem = `handoff-stalled-${crypto.randomUUID()}`;
    let retry: Response | undefined;
    const testEnv = env as unknown as Env;
    // The first request sealed its answer into the claim and stalls before the object's create.
    const stalling = new Proxy(testEnv.HANDOFF, {
      get(target, prop) {
        if (prop === "get")
          return (id: DurableObjectId) => {
            const stub = target.get(id);
            return {
              create: async (input: unknown) => {
                vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
                retry = await post(c.path, c.key, c.body, idem);
                return stub.create(input as never);
              },
            };
          };
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const stalled = await sendWith(asIs, c, idem, { HANDOFF: stalling });
    expect(retry!.status).toBe(201);
    expect(stalled.status).toBe(409);
    expect(((await stalled.json()) as { error: string }).error).toBe("idempotency_in_progress");
    const made = (await retry!.json()) as { id: string; watch: string };
    expect((await watched(made.id, made.watch)).status).toBe(200);
    const again = await post(c.path, c.key, c.body, idem);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(made);
  });
});

describe("answerStatements", () => {
  const answer = { status: 201, headers: {}, body: "{}" };
  const marker = () => db.prepare("INSERT INTO campaigns (id, name, created_at) VALUES (?, ?, 0)");
  const markers = (name: string) =>
    db
      .prepare("SELECT COUNT(*) AS n FROM campaigns WHERE name = ?")
      .bind(name)
      .first<{ n: number }>();

  it("a claim gone (released by a takeover that failed) fails the batch: nothing it held is written", async () => {
    const { keyring } = await testConfig();
    const scope = `gone-${crypto.randomUUID()}`;
    const claim = await claimKey(db, keyring, scope, "fp", Date.now());
    if (claim.kind !== "claimed") throw new Error(claim.kind);
    await releaseKey(db, scope, claim.holder);
    const name = `atomic marker ${scope}`;
    const stored = await answerStatements(db, keyring, scope, claim.holder, answer);
    const err = await db.batch([marker().bind(`cp_${scope}`, name), ...stored]).catch((e) => e);
    expect(isClaimLost(err)).toBe(true);
    expect((await markers(name))!.n).toBe(0);
  });

  it("with a create that did not land, neither fails nor stores, even with the claim lost", async () => {
    const { keyring } = await testConfig();
    const scope = `unlanded-${crypto.randomUUID()}`;
    const claim = await claimKey(db, keyring, scope, "fp", Date.now());
    if (claim.kind !== "claimed") throw new Error(claim.kind);
    const never = { sql: "EXISTS (SELECT 1 FROM campaigns WHERE id = ?)", args: ["cp_none"] };
    const mine = await answerStatements(db, keyring, scope, claim.holder, answer, never);
    await db.batch(mine);
    const row = await db
      .prepare("SELECT lease_until, answer FROM idempotency_keys WHERE scope = ?")
      .bind(scope)
      .first<{ lease_until: number; answer: unknown }>();
    expect(row!.lease_until).toBeGreaterThan(0);
    expect(row!.answer).toBeNull();
    const lost = await answerStatements(db, keyring, scope, "another holder", answer, never);
    await expect(db.batch(lost)).resolves.toHaveLength(2);
  });
});
