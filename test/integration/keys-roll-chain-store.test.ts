// A roll chain as it is stored: however long the chain, its newest 21 keys are one caller and a
// lookup reads no more than their index entries; migration 0022 gave the chains rolled before it
// their family; a key's lookup reads an index entry per key of its family and nothing for a key
// never rolled. What a chain's keys may do together: keys-roll-chain.test.ts.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FAMILY_LINKS } from "../../src/store/key-family";
import { createHandoff } from "./handoffs-helpers";
import { db } from "./idempotency-helpers";
import { CHAIN_SCOPES, chain, clockAt, lookup, mint, opens, rolled, T0 } from "./key-roll-helpers";

afterEach(() => vi.useRealTimers());

describe("a long chain", () => {
  it("the 21 newest keys are one caller; an older one keeps only its neighbours", async () => {
    const first = await mint({ scopes: CHAIN_SCOPES });
    const keys = [first];
    // A roll a minute: a family's newest keys are the last made.
    for (let i = 1; i <= 21; i++) {
      clockAt(T0 + i * 60_000);
      keys.push(await rolled(keys.at(-1)!.id, 7 * 86_400));
    }
    const [k0, k1, k2, k21] = [keys[0]!, keys[1]!, keys[2]!, keys[21]!];
    const made = { k0: await createHandoff(k0.key), k1: await createHandoff(k1.key) };
    expect(await opens(made.k1.id, k21.key)).toBe(200);
    expect(await opens(made.k0.id, k1.key)).toBe(200);
    expect(await opens(made.k0.id, k2.key)).toBe(403);
    expect(await opens(made.k0.id, k21.key)).toBe(403);
    const fromNewest = await createHandoff(k21.key);
    expect(await opens(fromNewest.id, k0.key)).toBe(403);
    expect(await opens(fromNewest.id, k1.key)).toBe(200);
    // However long the chain, a lookup reads its own row and the newest 21 index entries.
    for (const k of [k0, k21])
      expect((await lookup(k.id, db)).meta.rows_read).toBe(1 + FAMILY_LINKS);
  });
});

describe("migration 0022 on keys rolled before it", () => {
  it("gives every key of an earlier chain its first key as family; a key never rolled none", async () => {
    const { a, b, c } = await chain();
    const single = await mint({ scopes: CHAIN_SCOPES });
    const ids = [a.id, b.id, c.id, single.id];
    const marks = ids.map(() => "?").join(", ");
    await db
      .prepare(`UPDATE api_keys SET roll_family = NULL WHERE id IN (${marks})`)
      .bind(...ids)
      .run();
    const migrations = (
      env as unknown as { TEST_MIGRATIONS: { name: string; queries: string[] }[] }
    ).TEST_MIGRATIONS;
    const backfill = migrations
      .find((m) => m.name.startsWith("0022"))!
      .queries.filter((q) => /^\s*(?:--[^\n]*\n\s*)*WITH RECURSIVE/.test(q));
    expect(backfill).toHaveLength(1);
    await db.prepare(backfill[0]!).run();
    const { results } = await db
      .prepare(`SELECT id, roll_family FROM api_keys WHERE id IN (${marks})`)
      .bind(...ids)
      .all<{ id: string; roll_family: string | null }>();
    expect(Object.fromEntries(results.map((r) => [r.id, r.roll_family]))).toEqual({
      [a.id]: a.id,
      [b.id]: a.id,
      [c.id]: a.id,
      [single.id]: null,
    });
    // None of the three was looked up yet (no isolate cache): C opens A's handoff at once.
    expect(await opens((await createHandoff(a.key)).id, c.key)).toBe(200);
  });
});

describe("the cost of a key lookup", () => {
  // Its family's index entries, and the next entry of the index when there is one (where the
  // search learns the family ended): one entry per key of the family, at most one more.
  const familyRows = async (id: string) => (await lookup(id, db)).meta.rows_read - 1;

  it("a key never rolled reads its own row only; a rolled one, an index entry per key of its family", async () => {
    const single = await mint({ scopes: CHAIN_SCOPES });
    expect(await familyRows(single.id)).toBe(0);
    const { a, b, c } = await chain();
    // Families of others, so that a scan of the table would show.
    for (let i = 0; i < 3; i++) await chain();
    const read = async (ids: string[]) => new Set(await Promise.all(ids.map(familyRows)));
    expect([3, 4]).toEqual(expect.arrayContaining([...(await read([a.id, b.id, c.id]))]));
    const d = await rolled(c.id);
    expect([4, 5]).toEqual(expect.arrayContaining([...(await read([a.id, b.id, c.id, d.id]))]));
  });
});
