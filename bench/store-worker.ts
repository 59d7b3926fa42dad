/**
 * The store bench's Worker: the real bridge, its real queue consumer and funnel, with D1 and
 * R2 wrapped so every query's own `meta` (rows read and written, database size) and every R2
 * operation is counted. Driven by bench/store.mjs through Miniflare (no dev proxy).
 *
 * POST /ingest?day=&scans=&batch=&seed=   a day of traffic (bench/traffic.ts) through the consumer
 * POST /maintain?now=                     the hourly cron at `now`
 * POST /seed?day=&scans=&seed=            the same day folded straight into rollups (big volumes)
 * GET  /funnel?from=&to=&group_by=        the funnel; answers rows read
 * GET  /columns                           bytes of each rollup table's map columns (the data,
 *                                         whatever SQLite's free pages)
 */
import { createBridge } from "../src/bridge";
import { rollupDeltas } from "../src/core/rollup";
import type { Env } from "../src/env";
import { optionsFromEnv } from "../src/env-options";
import { runMaintenance } from "../src/store/maintenance";
import { funnel, type GroupBy } from "../src/store/stats";
import { seedRollupBatches } from "./seed-chunks";
import { dayOfTraffic } from "./traffic";

export { HandoffObject } from "../src/index";

interface Counts {
  queries: number;
  rowsRead: number;
  rowsWritten: number;
  sizeAfter: number;
  r2ClassA: number;
  r2ClassB: number;
}
const fresh = (): Counts => ({
  queries: 0,
  rowsRead: 0,
  rowsWritten: 0,
  sizeAfter: 0,
  r2ClassA: 0,
  r2ClassB: 0,
});

function countResult(c: Counts, r: unknown): void {
  const meta = (r as D1Result | undefined)?.meta;
  if (!meta) return;
  c.queries++;
  c.rowsRead += meta.rows_read ?? 0;
  c.rowsWritten += meta.rows_written ?? 0;
  c.sizeAfter = Math.max(c.sizeAfter, meta.size_after ?? 0);
}

function countedDb(db: D1Database, c: Counts): D1Database {
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (prop === "bind") return (...args: unknown[]) => statement(v.apply(target, args));
        if (prop === "all" || prop === "run" || prop === "first" || prop === "raw")
          return async (...args: unknown[]) => {
            if (prop === "first" || prop === "raw") c.queries++; // no meta on these
            const r = await v.apply(target, args);
            if (prop === "all" || prop === "run") countResult(c, r);
            return r;
          };
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => statement(target.prepare(sql));
      if (prop === "batch")
        return async (stmts: D1PreparedStatement[]) => {
          const results = await target.batch(stmts);
          for (const r of results) countResult(c, r);
          return results;
        };
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

function countedBucket(bucket: R2Bucket, c: Counts): R2Bucket {
  // R2 bills puts, lists and multipart uploads as class A, gets and heads as class B; deletes are free.
  const classA = new Set(["put", "list", "createMultipartUpload"]);
  return new Proxy(bucket, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        if (classA.has(String(prop))) c.r2ClassA++;
        else if (prop === "get" || prop === "head") c.r2ClassB++;
        return v.apply(target, args);
      };
    },
  });
}

const bridge = createBridge((env) => optionsFromEnv(env));

function counted(env: Env, c: Counts): Env {
  return {
    ...env,
    DB: countedDb(env.DB, c),
    HOP_ARCHIVE: env.HOP_ARCHIVE && countedBucket(env.HOP_ARCHIVE, c),
  };
}

async function ingest(env: Env, ctx: ExecutionContext, q: URLSearchParams) {
  const c = fresh();
  const messages = dayOfTraffic(q.get("day")!, Number(q.get("scans")), Number(q.get("seed") ?? 1), {
    scansOnly: q.get("only") === "scans",
    claimedResolves: q.get("claimed") === "1",
  });
  const size = Number(q.get("batch") ?? 100);
  const wrapped = counted(env, c);
  let acked = 0;
  const started = Date.now();
  for (let i = 0; i < messages.length; i += size) {
    const slice = messages.slice(i, i + size);
    const batch = {
      queue: "qrbridge-hops",
      messages: slice.map((m) => ({
        id: m.id,
        timestamp: new Date(m.at),
        attempts: 1,
        body: { t: "hops", rows: m.rows },
        ack: () => void acked++,
        retry: () => {
          throw new Error(`message ${m.id} was retried`);
        },
      })),
      ackAll: () => {},
      retryAll: () => {},
    } as unknown as MessageBatch<unknown>;
    await bridge.queue(batch, wrapped, ctx);
  }
  const rows = messages.reduce((n, m) => n + m.rows.length, 0);
  return {
    messages: messages.length,
    rows,
    acked,
    batches: Math.ceil(messages.length / size),
    ms: Date.now() - started,
    ...c,
  };
}

async function seed(env: Env, q: URLSearchParams) {
  const c = fresh();
  const messages = dayOfTraffic(q.get("day")!, Number(q.get("scans")), Number(q.get("seed") ?? 1));
  // Folded as the consumer folds them; once-only events counted as first seen (no hop_once).
  const rows = messages
    .flatMap((m) => m.rows)
    .map((r) => ({ ...r, event_id: r.event_id.replace(/^ev_/, "") }));
  const deltas = rollupDeltas(rows);
  const db = countedDb(env.DB, c);
  const batch = { at: Date.now(), id: `seed-${q.get("day")}-${q.get("seed")}` };
  // Claim a batch so the guarded upsert runs, as the consumer's transaction does.
  await db
    .prepare("INSERT INTO hop_batches (at, id, messages) VALUES (?, ?, '[]')")
    .bind(batch.at, batch.id)
    .run();
  // The consumer's statements, in chunks D1 can bind (bench/seed-chunks.ts).
  const groups = seedRollupBatches(db, batch, deltas);
  for (const group of groups) await db.batch(group);
  return { rows: rows.length, deltas: deltas.length, batches: groups.length, ...c };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const q = url.searchParams;
    if (url.pathname === "/ingest") return Response.json(await ingest(env, ctx, q));
    if (url.pathname === "/seed") return Response.json(await seed(env, q));
    if (url.pathname === "/maintain") {
      const c = fresh();
      const config = await bridge.config(env);
      const report = await runMaintenance(counted(env, c), config, Number(q.get("now")));
      return Response.json({ report, ...c });
    }
    if (url.pathname === "/funnel") {
      const c = fresh();
      const result = await funnel(countedDb(env.DB, c), {
        from: q.get("from")!,
        to: q.get("to")!,
        groupBy: (q.get("group_by") as GroupBy) ?? null,
        limit: 100,
      });
      return Response.json({ groups: result.rows.length, scanned: result.totals.scanned, ...c });
    }
    if (url.pathname === "/columns") {
      const out: Record<string, Record<string, number>> = {};
      for (const table of ["hop_rollups", "hop_rollups_total", "hop_rollups_month"]) {
        const columns = ["counts", "delays", "scanners", "sketch_all", "sketch_dims"];
        const sums = columns.map((c) => `IFNULL(SUM(length(CAST(${c} AS BLOB))), 0) AS ${c}`);
        out[table] = (await env.DB.prepare(
          `SELECT COUNT(*) AS rows, ${sums.join(", ")} FROM ${table}`,
        ).first()) as Record<string, number>;
      }
      return Response.json(out);
    }
    if (url.pathname === "/size") {
      const c = fresh();
      await countedDb(env.DB, c).prepare("SELECT 1").all();
      return Response.json(c);
    }
    return new Response("not found", { status: 404 });
  },
  queue: bridge.queue,
};
