// Red team of Idempotency-Key across a roll chain (routes/idempotency.ts, store/idempotency.ts
// `linkedClaim`): the keys of one chain are one caller, so a retry with the next key must meet the
// first key's claim as a retry with the same key would. A claim whose lease passed was looked
// past: the retry with the other key claimed its own row and created, and the request that had
// stalled past its lease kept its claim and created too — two posters for one intended, where the
// same key's retry takes the claim over and the stalled request writes nothing (409).
import { afterEach, describe, expect, it, vi } from "vitest";
import { IDEMPOTENCY_LEASE_MS } from "../../src/core/idempotency";
import type { Env } from "../../src/env";
import { Meter, meterEnv } from "../support/meter";
import { testEnv } from "./hop-helpers";
import { type CreateCase, scalar, sendWith, stallingDb } from "./idempotency-atomic-helpers";
import { unique } from "./idempotency-helpers";
import { mint, rolled } from "./key-roll-helpers";

afterEach(() => {
  vi.useRealTimers();
});

const asIs = (d1: D1Database) => d1;

async function posterCase(key: string, name: string): Promise<CreateCase> {
  const count = () => scalar("SELECT COUNT(*) AS n FROM posters WHERE name = ?", name);
  return { path: "/v1/posters", key, body: { name, path: "/a" }, once: 1, count };
}

describe("a create stalled past its lease, retried with the next key of its roll chain", () => {
  for (const [first, retryWith] of [
    ["old", "new"],
    ["new", "old"],
  ] as const) {
    it(`with the ${first} key, retried with the ${retryWith}: one poster, the stalled request writes nothing`, async () => {
      const a = await mint({ name: unique("idem family") });
      const b = await rolled(a.id);
      const keys = { old: a.key, new: b.key };
      const name = unique("idem family poster");
      const stalledCase = await posterCase(keys[first], name);
      const retryCase = await posterCase(keys[retryWith], name);
      const idem = `family-${crypto.randomUUID()}`;
      let retry: Response | undefined;
      const stalled = await sendWith(
        (d1) =>
          stallingDb(d1, async () => {
            vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + IDEMPOTENCY_LEASE_MS + 1 });
            retry = await sendWith(asIs, retryCase, idem);
          }),
        stalledCase,
        idem,
      );
      expect(retry!.status).toBe(201);
      expect(stalled.status).toBe(409);
      expect(await stalledCase.count()).toBe(1);
      // Either key now replays the one answer.
      for (const c of [stalledCase, retryCase]) {
        const again = await sendWith(asIs, c, idem);
        expect(again.headers.get("idempotent-replayed")).toBe("true");
        expect(await again.json()).toEqual(await retry!.clone().json());
      }
      expect(await stalledCase.count()).toBe(1);
    });
  }
});

describe("a busy day across a roll chain", () => {
  it("6 requests at once with the same Idempotency-Key, half with each key: one poster", async () => {
    const a = await mint({ name: unique("idem family busy") });
    const b = await rolled(a.id);
    const name = unique("idem family busy poster");
    const cases = await Promise.all([a.key, b.key].map((k) => posterCase(k, name)));
    const idem = `family-busy-${crypto.randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => sendWith(asIs, cases[i % 2]!, idem)),
    );
    for (const r of answers) expect([201, 409]).toContain(r.status);
    const fresh = answers.filter(
      (r) => r.status === 201 && r.headers.get("idempotent-replayed") === null,
    );
    expect(fresh).toHaveLength(1);
    expect(await cases[0]!.count()).toBe(1);
  });
});

describe("what a rolled key's create with the header costs", () => {
  it("the same D1 queries as a key never rolled: one row for the chain, no look across it", async () => {
    const single = await mint({ name: unique("idem cost single") });
    const a = await mint({ name: unique("idem cost chain") });
    const b = await rolled(a.id);
    const queries: number[] = [];
    for (const key of [single.key, b.key]) {
      const c = await posterCase(key, unique("idem cost poster"));
      // Once to cache the key's lookup, then metered with a new Idempotency-Key.
      expect((await sendWith(asIs, c, `cost-warm-${crypto.randomUUID()}`)).status).toBe(201);
      const meter = new Meter();
      const metered = (d1: D1Database) =>
        meterEnv({ ...testEnv, DB: d1 } as Env, meter, "request").DB;
      c.body = { ...(c.body as object), name: unique("idem cost poster") };
      expect((await sendWith(metered, c, `cost-${crypto.randomUUID()}`)).status).toBe(201);
      queries.push(meter.snapshot()["request:d1.query"] ?? 0);
    }
    expect(queries[0]).toBeGreaterThan(0);
    expect(queries[1]).toBe(queries[0]);
  });
});
