// Shared by the compact-sketch tests (rollup-sketches*.test.ts): a few days of scans whose
// every person hash is remembered, so a funnel's unique scanners can be checked exactly against
// the sketch arithmetic (core/hll.ts) over the same hashes.
import { expect } from "vitest";
import { addToSketch, estimateDistinct, type Sketch } from "../../src/core/hll";
import type { HopRow } from "../../src/core/hop-row";
import type { FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { fakeIpHash, hopRow, ingestViaQueue, testEnv } from "./hop-helpers";

const DAY_MS = 86_400_000;
export const at = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const dayAfter = (day: string, n: number) =>
  new Date(at(day) + n * DAY_MS).toISOString().slice(0, 10);
/** Every person hash that scanned, by day (for the exact expected estimate). */
const scanners = new Map<string, string[]>();

/** The poster, store, campaign, platform and in-app browser of the `n`th scan of a day. */
export function factsOf(seed: number, n: number) {
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
export function newcomer(label: string, day: string, from: string, to: string): string {
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
export function late(
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
export function expectedUniques(from: string, to: string): number {
  const sketch: Sketch = {};
  for (const [day, hashes] of scanners)
    if (day >= from && day <= to) for (const h of hashes) addToSketch(sketch, h);
  return estimateDistinct(sketch);
}

let key: string | undefined;

/** A funnel as a `stats:read` key reads it (the key made on first use). */
export async function funnel(query: string): Promise<FunnelResult> {
  key ??= await mintKey("secret", ["stats:read"]);
  // Figures only: the freshness block is the deployment's, moved by any other test's batch.
  const res = await call(`/v1/stats/funnel?${query}&freshness=none`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

const GROUPS = ["", "day", "store", "campaign", "poster", "platform", "in_app", "source", "via"];

/** Every grouping over each range, keyed by query. */
export async function funnels(ranges: [string, string][]): Promise<Record<string, FunnelResult>> {
  const out: Record<string, FunnelResult> = {};
  for (const [from, to] of ranges)
    for (const g of GROUPS) {
      const q = `from=${from}&to=${to}${g ? `&group_by=${g}` : ""}&limit=1000`;
      out[q] = await funnel(q);
    }
  return out;
}

/** Every rollup row and compaction record, to compare states. */
export async function snapshot(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const t of ["hop_rollups", "hop_rollups_total", "hop_rollups_month", "hop_compacted"])
    out.push((await testEnv.DB.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()).results);
  return out;
}

export async function ingestDays(first: string, days: number, seed: number): Promise<void> {
  const rows: HopRow[] = [];
  for (let i = 0; i < days; i++) rows.push(...dayOfScans(dayAfter(first, i), seed + i));
  await ingestViaQueue(rows);
}
