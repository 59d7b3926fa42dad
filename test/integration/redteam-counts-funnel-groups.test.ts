// Red team, one data set read every way (this file's name puts it on fresh storage): posters
// with and without a store or campaign, scans of paused and revoked posters, bots and
// previews, handoffs and logins, conversions in three currencies and in none, days on both
// sides of the cron's compaction (month rows for whole months, day rows for the rest), and late
// hops for a folded day, for a day nobody scanned before its neighbours were folded, and for a
// day not folded yet. Whatever the grouping and wherever the range cuts months, the funnel's
// totals are the same, those of the groupings that split every hop (all but `via`) add up to
// them, and both are the numbers worked out from the hops themselves.
import { beforeAll, describe, expect, it } from "vitest";
import { conversionValueOf } from "../../src/core/conversion-value";
import { funnelStageOf } from "../../src/core/funnel";
import { addToSketch, estimateDistinct, type Sketch } from "../../src/core/hll";
import type { HopRow, SubjectKind } from "../../src/core/hop-row";
import { REFUSED_REASONS } from "../../src/core/rollup";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { hopRow, ingestViaQueue, scalar, testEnv } from "./hop-helpers";

const DAY_MS = 86_400_000;
const FIRST = "2025-11-20";
const DAYS = 84; // to 2026-02-11
const EMPTY_DAY = "2025-12-25"; // nobody scans it until after its neighbours are folded
const FOLDED_UNTIL = "2026-01-15";
const dayAfter = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

const POSTERS = [
  { poster_id: "GP1", store_id: "st_g_a", campaign_id: "cp_g_1" },
  { poster_id: "GP2", store_id: "st_g_a", campaign_id: null },
  { poster_id: "GP3", store_id: "st_g_b", campaign_id: "cp_g_1" },
  { poster_id: "GP4", store_id: null, campaign_id: null }, // no store, no campaign
  { poster_id: "GP5", store_id: "st_g_deleted", campaign_id: "cp_g_2" }, // store since deleted
];
const PLATFORMS = ["ios", "android", null];
const IN_APPS = [null, "line", null, "wechat"];
const VIAS = ["page", "app", null];
const CURRENCIES = ["EUR", "USD", "JPY", undefined];

/** A day's hops: seeded by the day's number, every kind of row the funnel reads or skips. */
function hopsOn(day: string, n: number, label = "p"): HopRow[] {
  const start = Date.parse(`${day}T00:00:00Z`);
  const rows: HopRow[] = [];
  for (let i = 0; i < 6; i++) {
    const p = POSTERS[(n + i) % POSTERS.length]!;
    // The first and last millisecond of the day, and between.
    const at = i === 0 ? start : i === 5 ? start + DAY_MS - 1 : start + i * 3_600_000;
    const facts = {
      kind: "poster" as SubjectKind,
      subject_id: p.poster_id,
      ...p,
      platform: PLATFORMS[(n + i) % 3],
      in_app: IN_APPS[(n * 3 + i) % 4],
    };
    const person = `${label}-${(n * 7 + i * 13) % 150}`;
    const via = VIAS[(n + 2 * i) % 3];
    rows.push(hopRow({ ...facts, hop: "scanned", detail: via ? { via } : null }, at, person));
    if (i % 2 === 0) rows.push(hopRow({ ...facts, hop: "landing" }, at + 500));
    if (i % 3 === 0)
      rows.push(
        hopRow(
          {
            ...facts,
            hop: "app_open",
            created_at: at,
            detail: { via: ["page", "direct", "scheme"][(n + i) % 3] },
          },
          at + 1000 + n * 50,
        ),
      );
    if (i === 3) {
      const currency = CURRENCIES[n % 4];
      const value = (n * 137 + 99) / 100;
      rows.push(
        hopRow(
          { ...facts, hop: "converted", detail: currency ? { value, currency } : { value } },
          at + 2000,
        ),
      );
    }
    if (i === 4) {
      const reason = REFUSED_REASONS[n % 4];
      rows.push(hopRow({ ...facts, hop: "rejected", detail: { reason } }, at + 10, `${person}-r`));
    }
  }
  const t = start + 12 * 3_600_000;
  // Bots: a previewer's scan and preview (never a person), a bot's conversion.
  rows.push(hopRow({ subject_id: "GP1", poster_id: "GP1", hop: "scanned", bot: true }, t, "bot"));
  rows.push(hopRow({ subject_id: "GP2", poster_id: "GP2", hop: "previewed", bot: true }, t));
  rows.push(
    hopRow(
      { subject_id: "GP3", poster_id: "GP3", hop: "converted", bot: true, detail: { value: 5 } },
      t,
    ),
  );
  // A forged code: rejected on the '' poster row, no reason of an existing poster.
  rows.push(hopRow({ subject_id: "nope", hop: "rejected", detail: { reason: "forged" } }, t));
  // A handoff and a QR login of their own.
  const handoff = { kind: "handoff" as SubjectKind, subject_id: `h-${day}`, platform: "ios" };
  rows.push(hopRow({ ...handoff, hop: "scanned", detail: { via: "page" } }, t, `${label}-h${n}`));
  rows.push(hopRow({ ...handoff, hop: "redeemed", detail: { via: "page" } }, t + 1));
  if (n % 2)
    rows.push(
      hopRow({ ...handoff, hop: "converted", detail: { value: 1, currency: "EUR" } }, t + 2),
    );
  const login = { kind: "login" as SubjectKind, subject_id: `l-${day}`, platform: "android" };
  rows.push(hopRow({ ...login, hop: "scanned", detail: { via: "app" } }, t, `${label}-l${n}`));
  rows.push(hopRow({ ...login, hop: "approved" }, t + 1));
  if (n % 3) rows.push(hopRow({ ...login, hop: "exchanged" }, t + 2));
  return rows;
}

const all: HopRow[] = [];
let key: string;

async function funnel(query: string): Promise<FunnelResult> {
  const res = await call(`/v1/stats/funnel?${query}&freshness=none&limit=1000`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FunnelResult;
}

/** The figures worked out from the hops themselves, for the days [from, to]. */
function expected(from: string, to: string) {
  const stages = { scanned: 0, landing: 0, app_open: 0, redeemed: 0, converted: 0 };
  const value: Record<string, number> = {};
  const refused: Record<string, number> = { paused: 0, revoked: 0, not_started: 0, ended: 0 };
  const sketch: Sketch = {};
  for (const r of all) {
    if (r.day < from || r.day > to || r.bot) continue;
    const stage = funnelStageOf(r.kind, r.hop);
    if (stage) stages[stage]++;
    const v = conversionValueOf(r);
    if (v) value[v[0]] = (value[v[0]] ?? 0) + v[1];
    const reason =
      r.hop === "rejected" && r.poster_id ? /"reason":"(\w+)"/.exec(r.detail ?? "") : null;
    if (reason && reason[1]! in refused) refused[reason[1]!]!++;
    if (r.hop === "scanned" && r.ip_hash) addToSketch(sketch, r.ip_hash);
  }
  const units = Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((c) => [c, value[c]! / 100]),
  );
  return { stages, value: units, refused, uniques: estimateDistinct(sketch) };
}

const STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"] as const;

/** What the rows of a grouping add up to (the figures that add: counts, values, refusals). */
function sumOf(rows: readonly FunnelFigures[]) {
  const stages = { scanned: 0, landing: 0, app_open: 0, redeemed: 0, converted: 0 };
  const value: Record<string, number> = {};
  const refused: Record<string, number> = { paused: 0, revoked: 0, not_started: 0, ended: 0 };
  let direct = 0;
  for (const r of rows) {
    for (const s of STAGES) stages[s] += r[s];
    for (const [c, v] of Object.entries(r.converted_value)) value[c] = (value[c] ?? 0) + v * 100;
    for (const [k, n] of Object.entries(r.refused_by_reason)) refused[k] = (refused[k] ?? 0) + n;
    direct += r.direct_app_opens;
  }
  const units = Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((c) => [c, Math.round(value[c]!) / 100]),
  );
  return { stages, value: units, refused, direct };
}

const added = (f: FunnelFigures) => sumOf([f]);

// Ranges of 7, 30, 90 and 365 days, a whole folded month, and ranges whose ends cut months
// on both sides of the last folded day.
const RANGES: [string, string][] = [
  ["2026-01-12", "2026-01-18"],
  ["2025-12-05", "2026-01-03"],
  ["2025-11-20", "2026-02-17"],
  ["2025-02-19", "2026-02-18"],
  ["2025-12-01", "2025-12-31"],
  ["2025-11-21", "2026-01-15"],
  ["2025-12-24", "2025-12-26"],
];
const PARTITIONS = ["day", "store", "campaign", "poster", "platform", "in_app", "source"];

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  for (let n = 0; n < DAYS; n++) {
    const day = dayAfter(FIRST, n);
    if (day !== EMPTY_DAY) all.push(...hopsOn(day, n));
  }
  await ingestViaQueue(all);
  // The cron, run with a clock in mid-January: November, December and half of January folded.
  let report = await compactRollups(testEnv.DB, FOLDED_UNTIL);
  while (report.more) report = await compactRollups(testEnv.DB, FOLDED_UNTIL);
  // Late hops: for a folded day, for the day nobody scanned, and for a day not folded yet.
  const late = [
    ...hopsOn("2025-12-10", 90, "late"),
    ...hopsOn(EMPTY_DAY, 91, "late"),
    ...hopsOn("2026-02-01", 92, "late"),
  ];
  all.push(...late);
  await ingestViaQueue(late);
}, 120_000);

describe("redteam: one data set, every grouping", () => {
  it("reads both kinds of rows: the cron folded every scanned day up to mid-January, not the empty one", async () => {
    const folded = await scalar<string>("SELECT json_group_array(day) FROM hop_compacted");
    const days = JSON.parse(folded) as string[];
    expect(days).toHaveLength(56); // 2025-11-20 … 2026-01-15 without 2025-12-25
    expect(days).not.toContain(EMPTY_DAY);
  });

  it.each(RANGES)(
    "%s … %s: every grouping's totals are the hops' own, and add up",
    async (from, to) => {
      const want = expected(from, to);
      const plain = await funnel(`from=${from}&to=${to}`);
      expect(added(plain.totals)).toMatchObject({
        stages: want.stages,
        value: want.value,
        refused: want.refused,
      });
      expect(plain.totals.unique_scanners).toBe(want.uniques);
      for (const g of [...PARTITIONS, "via"]) {
        const f = await funnel(`from=${from}&to=${to}&group_by=${g}`);
        expect(f.totals, g).toEqual(plain.totals);
        expect(f.median_sample, g).toEqual(plain.median_sample);
        if (g === "via") continue;
        expect(sumOf(f.rows), g).toEqual(added(plain.totals));
      }
    },
  );
});
