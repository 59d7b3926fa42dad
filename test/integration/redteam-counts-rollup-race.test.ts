// Red team, the cron's compaction racing the consumer (this file's name puts it on fresh
// storage). Day after day the cron compacts yesterday and folds it into its month while the
// consumer commits hops for today, late hops for yesterday (the very rows being compacted) and a
// redelivery of the round before — just before the cron's k-th D1 call, k moving on each round,
// so over thirty rounds across a month's end the commits land at every point of its reads and
// writes. Every scan counts once (by day, store, poster and in total, from day rows and from
// month rows) and every scanner is in the unique count.
import { beforeAll, describe, expect, it } from "vitest";
import { addToSketch, estimateDistinct, type Sketch } from "../../src/core/hll";
import type { HopRow } from "../../src/core/hop-row";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, runQueue, scalar, testEnv } from "./hop-helpers";

const FIRST = "2024-07-20";
const ROUNDS = 30; // to 2024-08-18
const dayAfter = (n: number) =>
  new Date(Date.parse(`${FIRST}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const LAST = dayAfter(ROUNDS - 1);

const counted: HopRow[] = [];
let key: string;

function scans(day: string, n: number, label: string): HopRow[] {
  const start = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => {
    const poster = `RR${i % 3}`;
    const row = hopRow(
      {
        hop: "scanned",
        subject_id: poster,
        poster_id: poster,
        store_id: `st_rr_${i % 2}`,
        platform: i % 2 ? "ios" : "android",
        detail: { via: "page" },
      },
      start + i * 1_800_000,
      `${label}-${day}-${i}`,
    );
    counted.push(row);
    return row;
  });
}

async function funnel(query: string): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?${query}&freshness=none&limit=1000`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

function uniques(from: string, to: string): number {
  const sketch: Sketch = {};
  for (const r of counted) if (r.day >= from && r.day <= to) addToSketch(sketch, r.ip_hash!);
  return estimateDistinct(sketch);
}

/**
 * The cron's database: before its `k`th call (a statement run or a batch), `race` runs to the
 * end (the consumer committing in that moment); every other call passes straight through.
 */
function racing(target: D1Database, k: number, race: () => Promise<unknown>) {
  let calls = 0;
  let done = false;
  const gate = async () => {
    if (calls++ === k) {
      await race();
      done = true;
    }
  };
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(t, prop) {
        if (prop === "bind") return (...args: unknown[]) => wrap(t.bind(...args));
        const v = Reflect.get(t, prop);
        if (typeof v !== "function") return v;
        if (["all", "run", "first", "raw"].includes(String(prop)))
          return async (...args: unknown[]) => {
            await gate();
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          };
        return v.bind(t);
      },
    });
    real.set(proxy, stmt);
    return proxy;
  };
  const db = new Proxy(target, {
    get(t, prop) {
      if (prop === "prepare") return (sql: string) => wrap(t.prepare(sql));
      if (prop === "batch")
        return async (stmts: D1PreparedStatement[]) => {
          await gate();
          return t.batch(stmts.map((s) => real.get(s) ?? s));
        };
      const v = Reflect.get(t, prop);
      return typeof v === "function" ? v.bind(t) : v;
    },
  });
  return { db, raced: () => done };
}

let raced = 0;

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  let previous: ReturnType<typeof hopMessages> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const today = hopMessages(scans(dayAfter(r), 6, "p"));
    const late = r > 0 ? hopMessages(scans(dayAfter(r - 1), 2, "late")) : [];
    const again = previous.map((m) => ({ ...m, attempts: 2 }));
    // The consumer's batches commit just before the cron's k-th D1 call, k moving on each
    // round, so that over the rounds they land at every point of its reads and writes.
    const ingest = () =>
      Promise.all([
        runQueue("qrbridge-hops", today.slice(0, 3)),
        runQueue("qrbridge-hops", [...late, ...today.slice(3)]),
        runQueue("qrbridge-hops", again),
      ]);
    // Yesterday is the cron's newest finished day: the day the late hops are for.
    const db = racing(testEnv.DB, r % 14, ingest);
    await compactRollups(db.db, dayAfter(r - 1));
    if (!db.raced()) await ingest(); // the cron made fewer calls than k
    raced += db.raced() ? 1 : 0;
    previous = today;
  }
  for (let run = 0; run < 50; run++) if (!(await compactRollups(testEnv.DB, LAST)).more) break;
}, 120_000);

describe("redteam: compaction racing the consumer, day after day", () => {
  it("every day was folded, each once, the consumer committing inside most runs", async () => {
    expect(raced).toBeGreaterThan(ROUNDS / 2);
    expect(await scalar("SELECT COUNT(DISTINCT day) FROM hop_compacted")).toBe(ROUNDS);
    expect(await scalar("SELECT COUNT(*) FROM hop_compacted")).toBe(ROUNDS);
  });

  it.each([
    [FIRST, LAST],
    ["2024-07-01", "2024-07-31"],
    ["2024-07-25", "2024-08-05"],
    ["2024-08-01", "2024-08-31"],
  ])(
    "%s … %s: each scan once, each scanner in the unique count, whatever the grouping",
    async (from, to) => {
      const inRange = counted.filter((r) => r.day >= from && r.day <= to);
      for (const g of ["", "day", "store", "poster", "platform", "via"]) {
        const f = await funnel(`from=${from}&to=${to}${g ? `&group_by=${g}` : ""}`);
        expect(f.totals.scanned, g).toBe(inRange.length);
        expect(f.totals.unique_scanners, g).toBe(uniques(from, to));
      }
      const byDay = await funnel(`from=${from}&to=${to}&group_by=day`);
      for (const row of byDay.rows) {
        expect(row.scanned, row.group!).toBe(inRange.filter((r) => r.day === row.group).length);
        expect(row.unique_scanners, row.group!).toBe(uniques(row.group!, row.group!));
      }
      const byStore = await funnel(`from=${from}&to=${to}&group_by=store`);
      for (const row of byStore.rows)
        expect(row.scanned, row.group!).toBe(
          inRange.filter((r) => r.store_id === row.group).length,
        );
    },
  );
});
