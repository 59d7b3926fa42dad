import { beforeAll, describe, expect, it } from "vitest";
import { addToSketch, estimateDistinct, type Sketch } from "../../src/core/hll";
import type { HopRow } from "../../src/core/hop-row";
import { mergedJson } from "../../src/store/hop-rollups";
import { compactRollups } from "../../src/store/rollup-compaction";
import { compactRows, foldDaySketches } from "../../src/store/sketch-compaction";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import {
  fakeIpHash,
  hopMessages,
  hopRow,
  ingestViaQueue,
  runQueue,
  scalar,
  testEnv,
} from "./hop-helpers";

// Finished days get compact sketches (core/compact-sketch.ts); the funnel must answer exactly
// what it answered from the JSON sketches, and no scanner may be lost on the way.
const DAY_MS = 86_400_000;
const at = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayAfter = (day: string, n: number) =>
  new Date(at(day) + n * DAY_MS).toISOString().slice(0, 10);
let key: string;
/** Every person hash that scanned, by day (for the exact expected estimate). */
const scanners = new Map<string, string[]>();

/** The poster, store, campaign, platform and in-app browser of the `n`th scan of a day. */
function factsOf(seed: number, n: number) {
  const p = (seed * 7 + n * 13) % 20;
  return {
    subject_id: `SK${p}`,
    poster_id: `SK${p}`,
    store_id: `st_${p % 2}`,
    campaign_id: `cp_${p % 3}`,
    platform: ["ios", "android", null][n % 3],
    in_app: [null, "line", "wechat", null][n % 4],
  };
}

/** 30 scans of 20 posters on `day` by 400 people, on three platforms and in-app browsers. */
function dayOfScans(day: string, seed: number): HopRow[] {
  const rows: HopRow[] = [];
  for (let n = 0; n < 30; n++) {
    const facts = factsOf(seed, n);
    const person = `p-${(seed * 101 + n * 37) % 400}`;
    const when = at(day) + n * 60_000;
    rows.push(late(day, person, facts, when));
    if (n % 4 === 0)
      rows.push(
        hopRow(
          { ...facts, hop: "app_open", created_at: when, detail: { via: "page" } },
          when + 2000 + n * 100,
        ),
      );
    if (n % 10 === 0) rows.push(hopRow({ ...facts, hop: "scanned", bot: true }, when + 1));
  }
  return rows;
}

/** A person not seen before whose scan on `day` raises the estimate over [from, to]. */
function newcomer(label: string, day: string, from: string, to: string): string {
  const now = expectedUniques(from, to);
  for (let i = 0; ; i++) {
    const person = `${label}-${i}`;
    const sketch: Sketch = {};
    for (const [d, hashes] of scanners)
      if (d >= from && d <= to) for (const h of hashes) addToSketch(sketch, h);
    if (day >= from && day <= to) addToSketch(sketch, fakeIpHash(person));
    if (estimateDistinct(sketch) !== now) return person;
  }
}

/** A person's scan of a poster on `day`, remembered for the expected unique count. */
function late(
  day: string,
  person: string,
  facts: Partial<HopRow> = {
    subject_id: "SK1",
    poster_id: "SK1",
    store_id: "st_1",
    platform: "ios",
  },
  when = at(day) + 3_600_000,
): HopRow {
  scanners.set(day, [...(scanners.get(day) ?? []), fakeIpHash(person)]);
  return hopRow(
    { ...(facts as object), hop: "scanned" } as Parameters<typeof hopRow>[0],
    when,
    person,
  );
}

/** The estimate of every hash that scanned from `from` to `to`: what the funnel must answer. */
function expectedUniques(from: string, to: string): number {
  const sketch: Sketch = {};
  for (const [day, hashes] of scanners)
    if (day >= from && day <= to) for (const h of hashes) addToSketch(sketch, h);
  return estimateDistinct(sketch);
}

async function funnel(query: string): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

const GROUPS = ["", "day", "store", "campaign", "poster", "platform", "in_app", "source", "via"];

/** Every grouping over each range, keyed by query. */
async function funnels(ranges: [string, string][]): Promise<Record<string, FunnelResult>> {
  const out: Record<string, FunnelResult> = {};
  for (const [from, to] of ranges)
    for (const g of GROUPS) {
      const q = `from=${from}&to=${to}${g ? `&group_by=${g}` : ""}&limit=1000`;
      out[q] = await funnel(q);
    }
  return out;
}

/** Every rollup row and compaction record, to compare states. */
async function snapshot(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const t of ["hop_rollups", "hop_rollups_total", "hop_rollups_month", "hop_compacted"])
    out.push((await testEnv.DB.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()).results);
  return out;
}

async function ingestDays(first: string, days: number, seed: number): Promise<void> {
  const rows: HopRow[] = [];
  for (let i = 0; i < days; i++) rows.push(...dayOfScans(dayAfter(first, i), seed + i));
  await ingestViaQueue(rows);
}

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
});

// First, while no day is compacted: an install whose cron folded days (JSON sketches included)
// before compact sketches existed.
describe("days folded before compact sketches (an existing install)", () => {
  const FIRST = "2023-02-24";
  const LAST = "2023-03-05";
  it("are converted a bounded number of rows per run, the funnel unchanged", async () => {
    await ingestDays(FIRST, 10, 500);
    // What the cron of earlier versions did: claim the day and fold its JSON sketches in SQL.
    const maps = ["counts", "scanners", "delays"] as const;
    const merges = { counts: "SUM", scanners: "MAX", delays: "SUM" } as const;
    const oldFold = `INSERT INTO hop_rollups_month (month, kind, store_id, campaign_id, poster_id, counts, scanners, delays)
      SELECT substr(day, 1, 7), kind, store_id, campaign_id, poster_id, counts, scanners, delays FROM hop_rollups WHERE day = ?1
      ON CONFLICT (month, kind, store_id, campaign_id, poster_id) DO UPDATE SET
      ${maps.map((m) => `${m} = ${mergedJson("hop_rollups_month", m, merges[m])}`).join(", ")}`;
    for (let i = 0; i < 9; i++) {
      const day = dayAfter(FIRST, i);
      await testEnv.DB.batch([
        testEnv.DB.prepare("INSERT INTO hop_compacted (day, batch) VALUES (?1, 'old')").bind(day),
        testEnv.DB.prepare(oldFold).bind(day),
      ]);
    }
    const ranges: [string, string][] = [
      [FIRST, LAST],
      ["2023-03-01", "2023-03-04"],
    ];
    const before = await funnels(ranges);
    expect(before[`from=${FIRST}&to=${LAST}&limit=1000`]!.totals.unique_scanners).toBe(
      expectedUniques(FIRST, LAST),
    );

    let runs = 0;
    for (let more = true; more; runs++) {
      const report = await compactRollups(testEnv.DB, "2023-12-31", { maxRows: 25 });
      expect(report.sketchRows).toBeLessThanOrEqual(25 + 20); // the budget, or one day's fold
      expect(report.folded.length + report.converted.length + report.sketchRows).toBeGreaterThan(0);
      more = report.more;
      expect(runs).toBeLessThan(100);
    }
    expect(runs).toBeGreaterThan(3);
    expect(await scalar("SELECT COUNT(*) FROM hop_compacted WHERE sketched IS NOT 1")).toBe(0);
    for (const t of ["hop_rollups", "hop_rollups_total"])
      expect(
        await scalar(`SELECT COUNT(*) FROM ${t} WHERE day <= '2023-03-05' AND scanners <> '{}'`),
      ).toBe(0);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM hop_rollups_month WHERE month < '2024' AND scanners <> '{}'",
      ),
    ).toBe(0);
    expect(
      await scalar(
        "SELECT COUNT(*) FROM hop_rollups_month WHERE month < '2024' AND sketch_all IS NULL",
      ),
    ).toBe(0);
    expect(await funnels(ranges)).toEqual(before);
  });
});

describe("finished days", () => {
  const FIRST = "2024-05-20";
  const LAST = "2024-06-10";
  const ranges: [string, string][] = [
    [FIRST, LAST],
    ["2024-05-25", "2024-06-03"],
    ["2024-06-01", "2024-06-09"],
  ];
  let before: Record<string, FunnelResult>;

  beforeAll(async () => {
    await ingestDays(FIRST, 22, 1);
    before = await funnels(ranges);
  });

  it("are compacted, and every funnel answers exactly as before, unique scanners included", async () => {
    const report = await compactRollups(testEnv.DB, "2024-06-08");
    expect(report.folded).toHaveLength(20);
    expect(report.more).toBe(false);
    for (const t of ["hop_rollups", "hop_rollups_total"]) {
      expect(
        await scalar(
          `SELECT COUNT(*) FROM ${t} WHERE day BETWEEN ?1 AND '2024-06-08' AND scanners <> '{}'`,
          FIRST,
        ),
      ).toBe(0);
      expect(
        await scalar(
          `SELECT COUNT(*) FROM ${t} WHERE day BETWEEN ?1 AND '2024-06-08' AND sketch_all IS NULL`,
          FIRST,
        ),
      ).toBe(0);
      // The two open days keep their JSON sketches.
      expect(
        await scalar(
          `SELECT COUNT(*) FROM ${t} WHERE day > '2024-06-08' AND sketch_all IS NOT NULL`,
        ),
      ).toBe(0);
    }
    expect(await funnels(ranges)).toEqual(before);
    expect(before[`from=${FIRST}&to=${LAST}&limit=1000`]!.totals.unique_scanners).toBe(
      expectedUniques(FIRST, LAST),
    );
  });

  it("change nothing when compacted again", async () => {
    const state = await snapshot();
    const again = await compactRollups(testEnv.DB, "2024-06-08");
    expect(again).toEqual({ folded: [], converted: [], sketchRows: 0, more: false });
    expect(await snapshot()).toEqual(state);
  });

  it("count a late hop of a compacted day, its scanner included", async () => {
    const q = `from=${FIRST}&to=${LAST}&group_by=store&limit=1000`;
    const scanned = before[q]!.totals.scanned;
    const person = newcomer("late-after-claim", "2024-05-25", FIRST, LAST);
    await runQueue("qrbridge-hops", hopMessages([late("2024-05-25", person)]));
    const after = await funnel(q);
    expect(after.totals.scanned).toBe(scanned + 1);
    expect(after.totals.unique_scanners).toBe(expectedUniques(FIRST, LAST));
    expect(after.totals.unique_scanners).not.toBe(before[q]!.totals.unique_scanners);
  });

  it("count a late hop that arrives after the day's sketches are compact, just before its fold", async () => {
    const day = "2024-06-09";
    // A new scanner of a poster row the day has (its first scan's), so its month row exists.
    const person = newcomer("late-before-claim", day, "2024-06-01", day);
    // The cron's database: its one batch is the claim and fold; a consumer commits just before.
    const racy = new Proxy(testEnv.DB, {
      get(target, prop) {
        if (prop === "batch")
          return async (statements: D1PreparedStatement[]) => {
            await runQueue("qrbridge-hops", hopMessages([late(day, person, factsOf(21, 0))]));
            return target.batch(statements);
          };
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    expect((await compactRollups(racy, day)).folded).toEqual([day]);
    // June's days 1–9 are all folded: this range reads June from its month rows only.
    const f = await funnel("from=2024-06-01&to=2024-06-09&group_by=poster&limit=1000");
    expect(f.totals.unique_scanners).toBe(expectedUniques("2024-06-01", day));
    expect(f.totals.scanned).toBe(
      before["from=2024-06-01&to=2024-06-09&limit=1000"]!.totals.scanned + 1,
    );
  });

  it("lose no hop a consumer merges between the cron's read and its write", async () => {
    const day = LAST;
    // A scanner new to the day, on a poster row the day has (the 22nd day's first scan).
    const person = newcomer("late-in-the-race", day, day, day);
    const facts = factsOf(22, 0);
    let raced = 0;
    // The cron's database: just before its first compare-and-set, a consumer batch commits.
    const racy = new Proxy(testEnv.DB, {
      get(target, prop) {
        if (prop !== "prepare") {
          const v = Reflect.get(target, prop);
          return typeof v === "function" ? v.bind(target) : v;
        }
        return (sql: string) => {
          const statement = target.prepare(sql);
          if (!sql.includes("UPDATE hop_rollups AS r")) return statement;
          return {
            bind: (...args: unknown[]) => ({
              run: async () => {
                if (raced++ === 0)
                  await runQueue("qrbridge-hops", hopMessages([late(day, person, facts)]));
                return statement.bind(...args).run();
              },
            }),
          };
        };
      },
    });
    const report = await compactRollups(racy as D1Database, day);
    expect(report.folded).toEqual([day]);
    expect(raced).toBeGreaterThan(1); // the lost compare-and-set was tried again
    expect(
      await scalar("SELECT COUNT(*) FROM hop_rollups WHERE day = ?1 AND scanners <> '{}'", day),
    ).toBe(0);
    const f = await funnel(`from=${day}&to=${day}&group_by=poster&limit=1000`);
    expect(f.totals.unique_scanners).toBe(expectedUniques(day, day));
    expect(f.totals.scanned).toBe(
      before[`from=${FIRST}&to=${LAST}&group_by=day&limit=1000`]!.rows.at(-1)!.scanned + 1,
    );
  });

  it("answer every scanner of the whole range, within the sketch's arithmetic exactly", async () => {
    for (const g of ["", "store", "platform", "in_app"]) {
      const f = await funnel(`from=${FIRST}&to=${LAST}${g ? `&group_by=${g}` : ""}`);
      expect(f.totals.unique_scanners).toBe(expectedUniques(FIRST, LAST));
    }
  });
});

describe("a compaction run that died midway", () => {
  it("is finished by the next run, nothing counted twice", async () => {
    await ingestDays("2024-09-01", 3, 900);
    const ranges: [string, string][] = [["2024-09-01", "2024-09-03"]];
    const before = await funnels(ranges);
    // A run compacted the first day and folded its sketches into September, then died (twice).
    await compactRows(testEnv.DB, "hop_rollups", "2024-09-01", 1000);
    await compactRows(testEnv.DB, "hop_rollups_total", "2024-09-01", 1000);
    expect((await foldDaySketches(testEnv.DB, "2024-09-01")).rows).toBeGreaterThan(0);
    expect(await foldDaySketches(testEnv.DB, "2024-09-01")).toEqual({ rows: 0, done: true });
    expect((await compactRollups(testEnv.DB, "2024-09-02")).folded).toEqual([
      "2024-09-01",
      "2024-09-02",
    ]);
    expect(await funnels(ranges)).toEqual(before);
    expect(before["from=2024-09-01&to=2024-09-03&limit=1000"]!.totals.unique_scanners).toBe(
      expectedUniques("2024-09-01", "2024-09-03"),
    );
  });
});
