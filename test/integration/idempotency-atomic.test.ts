// Idempotency-Key, a create and its answer written together: every D1 create under
// `idempotent()` writes its rows and its sealed answer in one batch. A write of the answer that
// fails takes the create with it (a 500, nothing made, the retry creates once); a request whose
// claim a retry took over after the lease writes nothing (409), the retry's create is the one.
// Before, each of these left two creates for one intended: the answer lost after the create
// committed, the retry after the lease created again.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_LEASE_MS, isClaimLost } from "../../src/core/idempotency";
import { answerStatements, claimKey, releaseKey } from "../../src/store/idempotency";
import { mintSecretKey } from "./helpers";
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
  it("keep the window docs/api.md states: an answer lost after the handoff was made, a retry after the lease makes a second", async () => {
    const c = {
      path: "/v1/handoffs",
      key: await mintSecretKey(),
      body: { payload: { cart: "atomic" } },
    };
    const idem = `handoff-${crypto.randomUUID()}`;
    vi.spyOn(console, "error").mockImplementation(() => {});
    const first = await sendWith(answerRefusingDb, { ...c, once: 1, count: async () => 0 }, idem);
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    // Within the lease the key is held: no second handoff.
    const held = await post(c.path, c.key, c.body, idem);
    expect(held.status).toBe(409);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
    const retry = await post(c.path, c.key, c.body, idem);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(((await retry.json()) as { id: string }).id).not.toBe(id);
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
