// Model-based test of hop counting: random traffic (poster sessions at 2–4 stores in different
// time zones, handoffs, bots, refused scans, once-only app events reported 1–3 times, one row no
// store accepts) delivered through the Worker's real queue handler in random batchings
// (model-counting-delivery.ts): shuffled, redelivered after being counted, resent by the writer,
// two consumers at once, batches D1 refused, messages whose retries ran out replayed from the
// dead letters (sometimes twice at once), copies in the R2 spool for the cron. In some runs the
// hourly cron runs between a first delivery and a backlog delivered days later, or while that
// backlog is counted (folding the finished days into their months, racing their late hops).
// Then every funnel grouping and a few filters, over the whole month (month rows where days were
// folded) and over single days (day rows), must equal an exact model (model-counting-model.ts):
// unique scanners the sketch of exactly the counted scanners and within the docs' bound, the
// median within its bound; and the export, paged with a small limit, must hold every hop once.
// Each run has two months of its own (2031-01 and 02, 2031-03 and 04, …), its days in the first
// or across the turn of the month, and its own stores, so runs never see each other.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { runMaintenance } from "../../src/store/maintenance";
import { atClock, call, exportLines, mintKey } from "./helpers";
import { scalar, testConfig, testEnv } from "./hop-helpers";
import { deliver, messagesOf, type QueueMessage } from "./model-counting-delivery";
import {
  daysOf,
  exactMedian,
  type FunnelQuery,
  type GroupBy,
  type ModelGroup,
  modelFunnel,
} from "./model-counting-model";
import { makeStores, makeTraffic, rng } from "./model-counting-traffic";

const DAY = 86_400_000;
const GROUPINGS: GroupBy[] = [
  "day",
  "store",
  "campaign",
  "poster",
  "platform",
  "in_app",
  "source",
  "via",
];
/**
 * docs/stats.md: unique scanners within 3 standard errors (1.6 % each) of the exact count, and
 * "nearly exact" below ~10,000. A statistical bound: some groups of any seed fall outside it by
 * chance (a small count is short by the scanners sharing one of the 4,096 registers, a whole
 * number: 2 of 41 now and then, 3 of 53 rarely), so this seed's groups are held to it with a
 * floor of 2 scanners. The promise that nothing is lost or doubled is the exact check beside it.
 */
const uniqueBound = (exact: number) => (exact === 0 ? 0 : Math.max(2, 3 * 0.016 * exact));

/** docs/stats.md: the median within 5 % for delays of a second or more. */
const MEDIAN_BOUND = 0.05;

let statsKey: string;
let run = 0;
/** What the runs exercised, so a change of seed or generator cannot quietly skip a path. */
const seen = { late: 0, redelivered: 0, failed: 0, dead: 0, spooled: 0 };

beforeAll(async () => {
  statsKey = await mintKey("secret", ["stats:read"]);
});

type Figures = Record<string, unknown> & {
  unique_scanners: number;
  median_scan_to_app_open_ms: number | null;
};

/** What the Worker states exactly, from one of its funnel rows (or totals). */
function exactPart(f: Figures) {
  const { unique_scanners, median_scan_to_app_open_ms, group, ...rest } = f;
  return { group: group ?? null, ...rest };
}

/** The funnel for `q` equals the model: every exact figure, and the estimates within bounds. */
async function expectFunnel(q: FunnelQuery, counted: readonly HopRow[]) {
  const params = new URLSearchParams({
    ...(q as unknown as Record<string, string>),
    freshness: "none",
  });
  const res = await call(`/v1/stats/funnel?${params}`, { key: statsKey });
  expect(res.status, `${params}: ${res.status}`).toBe(200);
  const got = (await res.json()) as { rows: Figures[]; totals: Figures; time_zones: string[] };
  // Without `group_by`, the funnel is by day (docs/stats.md).
  const want = modelFunnel(counted, { ...q, group_by: q.group_by ?? "day" });
  const label = params.toString();
  const exact = (g: ModelGroup) => ({ group: g.group, ...g.figures });
  expect(got.rows.map(exactPart), label).toEqual(want.rows.map(exact));
  expect(exactPart(got.totals), label).toEqual(exact(want.totals));
  const pairs: [Figures, ModelGroup][] = [
    [got.totals, want.totals],
    ...got.rows.map((row, i) => [row, want.rows[i]!] as [Figures, ModelGroup]),
  ];
  for (const [row, model] of pairs) {
    const what = `${label} group ${model.group}`;
    // Nothing lost or doubled: the merged sketches hold exactly the counted scanners …
    expect(row.unique_scanners, `${what}: the sketch of the counted scanners`).toBe(model.sketched);
    // … and the estimate is as close as the docs say.
    expect(
      Math.abs(row.unique_scanners - model.scanners),
      `${what}: ${row.unique_scanners} unique scanners of ${model.scanners}`,
    ).toBeLessThanOrEqual(uniqueBound(model.scanners));
    const median = exactMedian(model.delays);
    if (median === null) expect(row.median_scan_to_app_open_ms, what).toBeNull();
    else
      expect(
        Math.abs(row.median_scan_to_app_open_ms! - median),
        `${what}: median ${row.median_scan_to_app_open_ms} of ${median}`,
      ).toBeLessThanOrEqual(MEDIAN_BOUND * median);
  }
  return got;
}

/** The export of `from`..`to`, paged by `limit`: each counted hop once, as one of its copies. */
async function expectExport(
  from: string,
  to: string,
  limit: number,
  sent: readonly HopRow[],
  filter = "",
) {
  const lines = await exportLines(`from=${from}&to=${to}&limit=${limit}${filter}`, statsKey);
  const exported = lines.map((l) => JSON.parse(l) as HopRow & { event_id: string });
  const ids = exported.map((h) => h.event_id);
  expect(new Set(ids).size, "an event exported twice").toBe(ids.length);
  const copies = new Map<string, unknown[]>();
  for (const h of sent) {
    const list = copies.get(h.event_id) ?? [];
    list.push({ ...h, detail: h.detail === null ? null : JSON.parse(h.detail) });
    copies.set(h.event_id, list);
  }
  expect([...ids].sort()).toEqual([...copies.keys()].sort());
  for (const h of exported) expect(copies.get(h.event_id)).toContainEqual(h);
}

describe("model: random traffic in random deliveries counts exactly", () => {
  it("every funnel grouping and the export equal the exact model", async () => {
    const scenario = fc.record({
      seed: fc.integer(),
      stores: fc.integer({ min: 2, max: 4 }),
      sessions: fc.integer({ min: 60, max: 160 }),
      handoffs: fc.integer({ min: 10, max: 50 }),
      scanners: fc.integer({ min: 15, max: 150 }),
      maxBatch: fc.integer({ min: 1, max: 60 }),
      // The hourly cron: not run; run between the first delivery and a backlog days later; or
      // run while that backlog is being counted (the fold racing late hops of its days).
      cron: fc.constantFrom("none", "before", "racing"),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (p) => {
        const k = run++;
        const tag = `mc${k}`;
        const r = rng(p.seed);
        const monthOf = (m: number) => new Date(Date.UTC(2031, m, 1)).toISOString().slice(0, 7);
        const [month, next] = [monthOf(2 * k), monthOf(2 * k + 1)];
        // Mid-month, or across the turn of the month (two month rows, a range over part of each).
        const start = r.chance(0.5)
          ? Date.UTC(2031, 2 * k, 10, r.int(0, 23))
          : Date.UTC(2031, 2 * k + 1, 1) - r.int(6, 40) * 3_600_000;
        const span = 2 * DAY;
        const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        // The days the run's hops are filed under, in every zone.
        const runDays = daysOf(dayOf(start - DAY), dayOf(start + span + DAY));
        const runStores = await makeStores(r, tag, p.stores, start + r.int(0, span));
        const traffic = makeTraffic(r, tag, runStores, { start, spanMs: span, ...p });
        // A backlog: with the cron, some requests reach the consumer only days later.
        const late = new Set(
          p.cron !== "none" ? traffic.requests.filter(() => r.chance(0.2)).map((q) => q.id) : [],
        );
        const { messages, spooled } = messagesOf(r, traffic.requests, p.cron !== "none");
        // What the writer spooled when the queue refused it waits in R2 for the cron.
        for (const o of spooled) await testEnv.HOP_ARCHIVE!.put(o.key, JSON.stringify(o.body));
        seen.spooled += spooled.length;
        const isLate = (m: QueueMessage) => late.has((m.body as { id: string }).id);
        const firstClock = start + span + 3_600_000;
        const log = await atClock(firstClock, () =>
          deliver(
            r,
            messages.filter((m) => !isLate(m)),
            p.maxBatch,
          ),
        );
        seen.redelivered += log.redelivered;
        seen.failed += log.failed;
        seen.dead += log.dead;
        // Three days on, in the latest zone too: every day of the run is over and folded.
        const cronClock = Math.floor((start + span) / DAY) * DAY + 3 * DAY + 3_600_000;
        let clock = firstClock;
        if (p.cron !== "none") {
          clock = cronClock;
          const config = await testConfig();
          const [report, log] = await atClock(clock, async () => {
            const cron = runMaintenance(testEnv, config, clock);
            if (p.cron === "before") await cron;
            return Promise.all([cron, deliver(r, messages.filter(isLate), p.maxBatch)]);
          });
          expect(report.failedSteps).toEqual([]);
          // The cron counted the spool and emptied it.
          expect((await testEnv.HOP_ARCHIVE!.list({ prefix: "spool/" })).objects).toEqual([]);
          // The run's days are folded: a funnel of whole months reads month rows.
          const folded = "SELECT COUNT(*) FROM hop_compacted WHERE day BETWEEN ? AND ?";
          expect(await scalar(folded, runDays[0], runDays.at(-1))).toBeGreaterThan(0);
          seen.late += log.batches;
          seen.redelivered += log.redelivered;
          seen.dead += log.dead;
        }
        // The poison row went alone to the dead letters, once, however often its message came.
        const { results } = await testEnv.DB.prepare("SELECT id FROM dead_letters WHERE id LIKE ?")
          .bind(`${traffic.poison.request}:%`)
          .all<{ id: string }>();
        expect(results.map((l) => l.id)).toEqual([
          `${traffic.poison.request}:${traffic.poison.index}`,
        ]);

        const counted = [...new Map(traffic.rows.map((h) => [h.event_id, h])).values()];
        const lastOf = (m: string) =>
          daysOf(`${m}-01`, `${m}-31`)
            .filter((d) => d.startsWith(m))
            .at(-1)!;
        const from = `${month}-01`;
        const to = lastOf(next);
        await atClock(clock, async () => {
          for (const group_by of [undefined, ...GROUPINGS]) {
            const got = await expectFunnel(
              { from, to, ...(group_by ? { group_by } : {}) },
              counted,
            );
            // Every zone a store carries or has carried.
            const zones = runStores.flatMap((s) =>
              [s.zone, s.change?.zone].filter((z): z is string => !!z),
            );
            expect(got.time_zones).toEqual(expect.arrayContaining(["UTC", ...zones]));
          }
          const [s0, s1] = runStores;
          const poster = s0!.posters[0]!;
          await expectFunnel({ from, to, group_by: "day", store_id: s0!.id }, counted);
          await expectFunnel({ from, to, group_by: "platform", store_id: s1!.id }, counted);
          await expectFunnel(
            { from, to, group_by: "poster", campaign_id: poster.campaign },
            counted,
          );
          await expectFunnel({ from, to, group_by: "via", source: "handoff" }, counted);
          await expectFunnel({ from, to, group_by: "in_app", source: "poster" }, counted);
          await expectFunnel({ from, to, group_by: "day", poster_id: poster.id }, counted);
          // One whole month; part of a month, or parts of two; single days: month rows where a
          // whole month was folded, day rows for the rest.
          await expectFunnel({ from, to: lastOf(month), group_by: "store" }, counted);
          await expectFunnel({ from: runDays[1]!, to: runDays[3]!, group_by: "campaign" }, counted);
          const day = r.pick(runDays);
          await expectFunnel({ from: day, to: day, group_by: "store" }, counted);
          await expectFunnel({ from, to, group_by: "poster", limit: "3" }, counted);
          await expectExport(from, to, r.int(7, 60), traffic.rows);
          const inStore = traffic.rows.filter((h) => h.store_id === s0!.id);
          await expectExport(from, to, r.int(7, 60), inStore, `&store_id=${s0!.id}`);
          const redeemed = traffic.rows.filter((h) => h.kind === "handoff" && h.hop === "redeemed");
          await expectExport(from, to, r.int(7, 60), redeemed, "&kind=handoff&hop=redeemed");
          // A day's export is exactly the rows filed under that day, whichever zone filed them
          // (the archive is by UTC hour: a Tokyo day and a Los Angeles day are other hours).
          for (const d of runDays.filter(() => r.chance(0.5))) {
            const ofDay = traffic.rows.filter((h) => h.day === d);
            await expectExport(d, d, r.int(7, 60), ofDay);
          }
        });
      }),
      // The traffic comes from `seed`: a shrunk scenario is no simpler; the first failure stands.
      { seed: 20261207, numRuns: 8, endOnFailure: true },
    );
    expect(seen.late).toBeGreaterThan(0);
    expect(seen.redelivered).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
    expect(seen.dead).toBeGreaterThan(0);
    expect(seen.spooled).toBeGreaterThan(0);
  }, 90_000);
});
