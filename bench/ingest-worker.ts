// Worker for bench/ingest.mjs: runs the hop writer (ingestHops) on generated rows inside workerd,
// next to a bare insert of the same rows into a table without indexes or trigger (the baseline).
import { HOP_COLUMNS, type HopRow } from "../src/core/hop-row";
import { ingestHops } from "../src/store/hop-ingest";

interface Env {
  DB: D1Database;
}

let serial = 0;
function rows(n: number): HopRow[] {
  const out: HopRow[] = [];
  const at = Date.now();
  for (let i = 0; i < n; i += 2) {
    const poster = `pst_${i % 50}`;
    const ip = `${(serial * 7919 + i).toString(16).padStart(16, "0")}`.slice(-16);
    for (const hop of ["scanned", "landing"] as const) {
      out.push({
        event_id: `ev${(serial++).toString(36).padStart(18, "0")}`,
        at,
        day: new Date(at).toISOString().slice(0, 10),
        kind: "poster",
        subject_id: poster,
        hop,
        store_id: `st_${i % 5}`,
        campaign_id: "cmp_bench",
        poster_id: poster,
        session_id: `ses_${serial}`,
        platform: i % 3 ? "ios" : "android",
        in_app: null,
        country: "DE",
        colo: "FRA",
        referrer_host: null,
        ip_hash: ip,
        bot: 0,
        ms_since_created: 12_345,
        detail: hop === "scanned" ? '{"via":"page","browser":"safari","os":"ios"}' : null,
      });
    }
  }
  return out;
}

const BARE = `INSERT INTO bench_bare (${HOP_COLUMNS.join(", ")})
SELECT ${HOP_COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?)`;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 2000);
    const batch = Number(url.searchParams.get("batch") ?? 2000);
    if (url.pathname === "/setup") {
      await env.DB.prepare(
        `CREATE TABLE IF NOT EXISTS bench_bare (${HOP_COLUMNS.join(", ")})`,
      ).run();
      return Response.json({ ok: true });
    }
    const data = rows(n);
    for (let i = 0; i < data.length; i += batch) {
      const chunk = data.slice(i, i + batch);
      if (url.pathname === "/ingest") await ingestHops(env.DB, chunk);
      else {
        const json = JSON.stringify(chunk.map((r) => HOP_COLUMNS.map((c) => r[c])));
        await env.DB.batch([env.DB.prepare(BARE).bind(json)]);
      }
    }
    const table = url.pathname === "/ingest" ? "hops" : "bench_bare";
    const count = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>();
    return Response.json({ n: count?.n ?? 0 });
  },
};
