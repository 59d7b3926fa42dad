/**
 * The funnel reader alone, in Node: a year of rollup rows folded by the consumer's own code
 * (bench/traffic.ts → core/rollup.ts), stored as the cron leaves them (finished days' sketches
 * compact), served by an in-memory stand-in for D1 that answers the
 * reader's three queries, so `funnel()` can be timed and profiled (`node --cpu-prof`) without
 * workerd and SQLite in the way. Bundled and driven by bench/funnel-read.mjs.
 */

import { encodeDimensions, encodeSketch } from "../src/core/compact-sketch";
import { mergePacked, mergeRegisters, newRegisters, type SketchRegisters } from "../src/core/hll";
import { mergeRollup, type RollupDelta, rollupDeltas, totalDeltas } from "../src/core/rollup";
import { compactSketches, parseRowSketches } from "../src/core/rollup-sketches";
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
  sketch_all?: string | null;
  sketch_dims?: string | null;
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

/**
 * A year of rollups: day rows, day × kind totals and month rows (every day compacted). With
 * `compactUntil`, stored as the cron leaves them: the sketches of day rows and totals up to that
 * day, and of every month row, in compact form (core/rollup-sketches.ts, the cron's own code),
 * made as the year is seeded so that 50 M hops fit in memory.
 */
export function seedYear(end: string, scansPerDay: number, compactUntil?: string) {
  const endMs = Date.parse(`${end}T00:00:00Z`);
  const dayRows: Stored[] = [];
  const totals: Stored[] = [];
  const months = new Map<string, RollupDelta>();
  const monthSketches = new Map<string, Map<string, SketchRegisters>>();
  const keep = (delta: RollupDelta, day: string) => {
    const row = stored(delta, day);
    return compactUntil !== undefined && day <= compactUntil ? compactRow(row) : row;
  };
  let hops = 0;
  for (let d = 364; d >= 0; d--) {
    const day = new Date(endMs - d * 86_400_000).toISOString().slice(0, 10);
    const rows = dayOfTraffic(day, scansPerDay, d + 1)
      .flatMap((m) => m.rows)
      .map((r) => ({ ...r, event_id: r.event_id.replace(/^ev_/, "") }));
    hops += rows.length;
    const deltas = rollupDeltas(rows);
    for (const delta of deltas) {
      dayRows.push(keep(delta, day));
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
      if (compactUntil === undefined) {
        mergeRollup(month, delta);
        continue;
      }
      mergeRollup(month, { ...delta, scanners: {} });
      let dims = monthSketches.get(id);
      if (!dims) {
        dims = new Map();
        monthSketches.set(id, dims);
      }
      for (const [dim, entries] of parseRowSketches(JSON.stringify(delta.scanners))) {
        const registers = dims.get(dim) ?? newRegisters();
        dims.set(dim, mergePacked(registers, entries));
      }
    }
    for (const t of totalDeltas(deltas)) totals.push(keep(t, day));
  }
  const monthRows = [...months].map(([id, m]) => {
    const row = stored(m);
    const dims = monthSketches.get(id);
    if (!dims) return row;
    const all = newRegisters();
    for (const [dim, registers] of dims) if (dim.startsWith("p:")) mergeRegisters(all, registers);
    return {
      ...row,
      scanners: "{}",
      sketch_all: encodeSketch(all),
      sketch_dims: encodeDimensions(dims),
    };
  });
  return { hops, dayRows, totals, monthRows };
}

/** A row's sketches in compact form, as the cron leaves a finished day's. */
function compactRow(r: Stored): Stored {
  return {
    ...r,
    ...compactSketches([{ scanners: r.scanners, sketch_all: null, sketch_dims: null }]),
    scanners: "{}",
  };
}

type Year = ReturnType<typeof seedYear>;

/** Characters of each map column, by table (the rows' text as D1 would store it). */
export function columnSizes(y: Year) {
  const sizes: Record<string, Record<string, number>> = {};
  const tables = { day: y.dayRows, total: y.totals, month: y.monthRows };
  for (const [name, rows] of Object.entries(tables)) {
    const s = {
      rows: rows.length,
      counts: 0,
      delays: 0,
      scanners: 0,
      sketch_all: 0,
      sketch_dims: 0,
    };
    for (const r of rows) {
      s.counts += r.counts.length;
      s.delays += r.delays.length;
      s.scanners += r.scanners.length;
      s.sketch_all += r.sketch_all?.length ?? 0;
      s.sketch_dims += r.sketch_dims?.length ?? 0;
    }
    sizes[name] = s;
  }
  return sizes;
}

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
          // Fresh objects with the columns asked for (one of the compact sketches), as D1 returns them.
          const dims = sql.includes("sketch_dims");
          const results = (all(sql, args) as Stored[]).map(({ sketch_all, sketch_dims, ...r }) =>
            dims
              ? { ...r, sketch_dims: sketch_dims ?? null }
              : { ...r, sketch_all: sketch_all ?? null },
          );
          return { results, meta: {} };
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
