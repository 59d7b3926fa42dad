/**
 * The spool bench's Worker: the real spool drain (src/store/spool-drain.ts) on local D1 and R2.
 * Driven by bench/spool.mjs through Miniflare.
 *
 * POST /spool?n=&at=    n spooled requests (a scan and its landing page each), as the writer
 *                       puts them when the queue refuses them (store/hops.ts)
 * POST /drain?now=      one run of the minute cron's drain: objects and rows counted
 * GET  /left            spool objects left
 */
import { createBridge } from "../src/bridge";
import type { Env } from "../src/env";
import { optionsFromEnv } from "../src/env-options";
import { newHopId } from "../src/store/hop-ids";
import { buildHop, SPOOL_PREFIX } from "../src/store/hops";
import { drainSpool } from "../src/store/spool-drain";

export { HandoffObject } from "../src/index";

const bridge = createBridge((env) => optionsFromEnv(env));

async function spool(env: Env, n: number, at: number): Promise<number> {
  const bucket = env.HOP_ARCHIVE!;
  for (let i = 0; i < n; i += 50) {
    const puts: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(n, i + 50); j++) {
      const poster = `po_bench_${j % 500}`;
      const base = { kind: "poster" as const, subject_id: poster, poster_id: poster };
      const scan = buildHop({ ...base, hop: "scanned", platform: "ios" }, null, at + j);
      scan.ip_hash = (j * 2654435761).toString(16).padStart(16, "0").slice(-16);
      const landing = buildHop({ ...base, hop: "landing", platform: "ios" }, null, at + j);
      const id = newHopId(at + j);
      const body = { t: "hops", id, again: true, rows: [scan, landing] };
      puts.push(bucket.put(`${SPOOL_PREFIX}${id}.json`, JSON.stringify(body)));
    }
    await Promise.all(puts);
  }
  return n;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const q = url.searchParams;
    if (url.pathname === "/spool")
      return Response.json({ spooled: await spool(env, Number(q.get("n")), Number(q.get("at"))) });
    if (url.pathname === "/drain") {
      const config = await bridge.config(env);
      const drained = await drainSpool(env, config, Number(q.get("now")));
      if (drained.failed) throw drained.failed;
      return Response.json({ objects: drained.objects, rows: drained.rows });
    }
    if (url.pathname === "/left") {
      const listed = await env.HOP_ARCHIVE!.list({ prefix: SPOOL_PREFIX, limit: 1000 });
      return Response.json({ left: listed.objects.length, more: listed.truncated });
    }
    return new Response("not found", { status: 404 });
  },
};
