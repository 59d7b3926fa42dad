/**
 * The funnel reader alone, in Node: a year of rollup rows folded by the consumer's own code
 * (bench/traffic.ts → core/rollup.ts), served by an in-memory stand-in for D1 that answers the
 * reader's three queries, so `funnel()` can be timed and profiled (`node --cpu-prof`) without
 * workerd and SQLite in the way. Bundled and driven by bench/funnel-read.mjs.
 */
import { mergeRollup, type RollupDelta, rollupDeltas, totalDeltas } from "../src/core/rollup";
import { funnel, GROUP_BY } from "../src/store/stats";
import { dayOfTraffic } from "./traffic";

interface Stored {
  day: string;
  kind: string;
  store_id: string;
  campaign_id: string;
  poster_id: string;
  counts: string;
  scanners: string;
  delays: string;
}

const stored = (d: RollupDelta, day = d.day): Stored => ({
  day,
  kind: d.kind,
  store_id: d.store_id,
  campaign_id: d.campaign_id,
  poster_id: d.poster_id,
  counts: JSON.stringify(d.counts),
  scanners: JSON.stringify(d.scanners),
  delays: JSON.stringify(d.delays),
});

/** A year of rollups: day rows, day × kind totals and month rows (every day compacted). */
export function seedYear(end: string, scansPerDay: number) {
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const dayRows: Stored[] = [];
  const totals: Stored[] = [];
  const months = new Map<string, RollupDelta>();
  let hops = 0;
  for (let d = 364; d >= 0; d--) {
    const day = new Date(endMs - d * 86_400_000).toISOString().slice(0, 10);
    const rows = dayOfTraffic(day, scansPerDay, d + 1)
      .flatMap((m) => m.rows)
      .map((r) => ({ ...r, event_id: r.event_id.replace(/^ev_/, "") }));
    hops += rows.length;
    const deltas = rollupDeltas(rows);
    for (const delta of deltas) {
      dayRows.push(stored(delta));
      const id = [
        day.slice(0, 7),
        delta.kind,
        delta.store_id,
        delta.campaign_id,
        delta.poster_id,
      ].join("|");
      let month = months.get(id);
      if (!month) {
        month = { ...delta, day: day.slice(0, 7), counts: {}, scanners: {}, delays: {} };
        months.set(id, month);
      }
      mergeRollup(month, delta);
    }
    for (const t of totalDeltas(deltas)) totals.push(stored(t));
  }
  return { hops, dayRows, totals, monthRows: [...months.values()].map((m) => stored(m)) };
}

type Year = ReturnType<typeof seedYear>;

/** Just enough of D1 for store/rollup-reader.ts without filters: every day is compacted. */
function fakeDb(y: Year): D1Database {
  // Indexed by day and month so the stand-in's own lookups stay out of the times.
  const byDay = new Map<string, Stored[]>();
  for (const r of y.dayRows) {
    if (!byDay.has(r.day)) byDay.set(r.day, []);
    byDay.get(r.day)!.push(r);
  }
  const byMonth = new Map<string, Stored[]>();
  for (const r of y.monthRows) {
    if (!byMonth.has(r.day)) byMonth.set(r.day, []);
    byMonth.get(r.day)!.push(r);
  }
  const days = y.totals.map((r) => r.day).filter((d, i, all) => all.indexOf(d) === i);
  const inRange = (lo: string, hi: string) => days.filter((d) => d >= lo && d <= hi);
  const all = (sql: string, args: string[]): object[] => {
    if (sql.includes("hop_rollups_total"))
      return y.totals.filter((r) => r.day >= args[0]! && r.day <= args[1]!);
    if (sql.includes("hop_compacted")) {
      const months = new Map<string, string[]>();
      for (const day of inRange(args[0]!, args[1]!)) {
        const list = months.get(day.slice(0, 7)) ?? [];
        months.set(day.slice(0, 7), [...list, day]);
      }
      return [...months].map(([month, list]) => ({
        month,
        lo: list[0],
        hi: list[list.length - 1],
        days: JSON.stringify(list),
      }));
    }
    if (sql.includes("hop_rollups_month"))
      return (JSON.parse(args[0]!) as string[]).flatMap((m) => byMonth.get(m) ?? []);
    const out: Stored[] = [];
    for (let i = 0; i + 1 < args.length; i += 2)
      for (const day of inRange(args[i]!, args[i + 1]!)) out.push(...(byDay.get(day) ?? []));
    return out;
  };
  return {
    prepare(sql: string) {
      let args: string[] = [];
      const statement = {
        bind(...a: string[]) {
          args = a;
          return statement;
        },
        async all() {
          // The rows come back as fresh objects with JSON text, as D1 returns them.
          return { results: all(sql, args).map((r) => ({ ...r })), meta: {} };
        },
      };
      return statement;
    },
  } as unknown as D1Database;
}

/** Time each funnel (median of `runs`), the reader's work only. */
export async function timeFunnels(y: Year, end: string, runs: number, only?: string[]) {
  const db = fakeDb(y);
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const out: {
    days: number;
    group: string;
    ms: number;
    groups: number;
    scanned: number;
    unique: number;
  }[] = [];
  for (const days of [7, 30, 90, 365]) {
    const from = new Date(endMs - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    for (const group of GROUP_BY) {
      if (only && !only.includes(`${days}:${group}`)) continue;
      const times: number[] = [];
      let result: Awaited<ReturnType<typeof funnel>> | undefined;
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        result = await funnel(db, { from, to: end, groupBy: group, limit: 100 });
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      out.push({
        days,
        group,
        ms: times[times.length >> 1]!,
        groups: result!.rows.length,
        scanned: result!.totals.scanned,
        unique: result!.totals.unique_scanners,
      });
    }
  }
  return out;
}
