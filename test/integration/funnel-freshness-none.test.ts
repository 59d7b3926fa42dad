// `freshness=none` on the funnel (the API's and the console's): a page that makes several funnel
// calls asks for the freshness block once. Without it a funnel answers the very same figures and
// reads fewer D1 rows and no R2 list, counted from D1's own `meta` and the metered R2 binding;
// with it (or without the parameter) the answer and its cost are unchanged. Fresh storage
// ("*funnel*" in vitest.config.ts): the counted batches are this file's alone.
import { beforeAll, describe, expect, it } from "vitest";
import type { FunnelFreshness } from "../../src/store/funnel-freshness";
import { count, metered } from "./budget-helpers";
import { session } from "./console-helpers";
import { atClock, call, mintKey, mintStoreKey } from "./helpers";
import { hopRow, ingestViaQueue } from "./hop-helpers";
import { makeStore } from "./poster-helpers";

const DAY = "2026-10-05";
const T0 = Date.parse(`${DAY}T10:00:00Z`);
const RANGE = `from=${DAY}&to=${DAY}`;

type Answer = { rows: unknown[]; totals: unknown; freshness: FunnelFreshness | null };

let key: string;
let storeId: string;

beforeAll(async () => {
  storeId = (await makeStore("Fresh or not")).id;
  const rows = Array.from({ length: 6 }, (_, i) =>
    hopRow({ hop: "scanned", store_id: i < 4 ? storeId : "st_other_fresh" }, T0 + i, `10.9.0.${i}`),
  );
  // Three counted batches, so the freshness block has `hop_batches` rows to read.
  for (let i = 0; i < rows.length; i += 2)
    await atClock(T0 + 60_000 + i, () => ingestViaQueue(rows.slice(i, i + 2)));
  key = await mintKey("secret", ["stats:read"]);
  // The key's lookup reads rows only the first time: every read below is of a cached key. Its
  // memory is per D1 database (binding object), so it is warmed through the metered binding.
  const [warm] = await metered(`/v1/stats/funnel?${RANGE}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(warm.status).toBe(200);
});

async function read(path: string, headers: Record<string, string>) {
  const [answer, counts] = await metered(path, { headers });
  expect(answer.status, answer.body).toBe(200);
  return { body: JSON.parse(answer.body) as Answer, counts };
}

const figures = (a: Answer) => ({ ...a, freshness: "set aside" });

describe("the funnel with freshness=none", () => {
  for (const group of ["day", "store"]) {
    it(`by ${group}: the same rows, freshness null, fewer D1 rows and no R2 list`, async () => {
      const auth = { authorization: `Bearer ${key}` };
      const base = `/v1/stats/funnel?${RANGE}&group_by=${group}`;
      const plain = await read(base, auth);
      const include = await read(`${base}&freshness=include`, auth);
      const none = await read(`${base}&freshness=none`, auth);

      expect(plain.body.rows.length).toBeGreaterThan(0);
      expect(figures(none.body)).toEqual(figures(plain.body));
      expect(none.body.freshness).toBeNull();
      // Asking for it, or saying nothing, is the answer it always was.
      expect(plain.body.freshness?.last_counted_at).toBe(T0 + 60_000 + 4);
      expect(include.body).toEqual(plain.body);
      expect(include.counts).toEqual(plain.counts);

      // What it saves, exactly: the block's 8 newest `hop_batches` rows read (3 here) and the
      // dead letters' count, its two queries, and the spool's R2 list.
      const rowsRead = (c: typeof plain.counts) => count(c, "d1.rows_read");
      expect(count(plain.counts, "r2")).toBe(1);
      expect(count(none.counts, "r2")).toBe(0);
      expect(rowsRead(none.counts)).toBeLessThan(rowsRead(plain.counts));
      expect(rowsRead(plain.counts) - rowsRead(none.counts)).toBe(3 + 1);
      expect(count(plain.counts, "d1.query") - count(none.counts, "d1.query")).toBe(2);
    });
  }

  it("the console's funnel takes it too, and a store key's answer stays without the block", async () => {
    const s = await session(key);
    const cookie = { cookie: s.cookie };
    const page = `/dashboard/api/funnel?${RANGE}&group_by=store`;
    const plain = await read(page, cookie);
    const none = await read(`${page}&freshness=none`, cookie);
    expect(plain.body.freshness).not.toBeNull();
    expect(none.body.freshness).toBeNull();
    expect(figures(none.body)).toEqual(figures(plain.body));
    expect(count(none.counts, "r2")).toBe(0);
    expect(count(none.counts, "d1.rows_read")).toBeLessThan(count(plain.counts, "d1.rows_read"));

    // A store key never gets the deployment's block, even when it asks for it.
    const storeKey = await mintStoreKey(storeId);
    const held = await call(`/v1/stats/funnel?${RANGE}&freshness=include`, { key: storeKey });
    expect(held.status).toBe(200);
    const heldBody = (await held.json()) as Answer & { totals: { scanned: number } };
    expect(heldBody.freshness).toBeNull();
    expect(heldBody.totals.scanned).toBe(4);
  });

  it("refuses a value it does not know with a 400 naming the field, never a 500", async () => {
    for (const bad of ["no", "", "NONE"]) {
      const res = await call(`/v1/stats/funnel?${RANGE}&freshness=${bad}`, { key });
      expect(res.status, bad).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("validation_failed");
      expect(body.message).toMatch(/freshness/);
    }
  });
});
