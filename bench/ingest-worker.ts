// Worker for bench/ingest.mjs: runs the hop writer (ingestHops) on generated rows inside workerd,
// next to a bare insert of the same rows into a table without indexes or trigger (the baseline).
// Rows carry ids made the way production makes them (`?ids=time`: time-ordered event and session
// ids) or fully random ids (`?ids=random`, as before they were time-ordered), to show what the
// order of keys costs a growing table.
import { customAlphabet } from "nanoid";
import { newSessionId } from "../src/core/attribution";
import { CROCKFORD } from "../src/core/base32";
import { HOP_COLUMNS, type HopRow } from "../src/core/hop-row";
import { POSTER_ID_LENGTH, TOKEN_ID_LENGTH } from "../src/core/token";
import { ingestHops } from "../src/store/hop-ingest";
import { buildHop } from "../src/store/hops";

interface Env {
  DB: D1Database;
}

const randomEventId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 20);
const randomTail = customAlphabet(CROCKFORD, TOKEN_ID_LENGTH - POSTER_ID_LENGTH);
let serial = 0;
const PAGE_SCAN = { platform: "ios", in_app: null, bot: false, via: "page" } as const;

/** `n` hop rows as scans write them: a `scanned` and a `landing` hop per scan, 50 posters. */
function rows(n: number, ids: "time" | "random"): HopRow[] {
  const out: HopRow[] = [];
  const at = Date.now();
  for (let i = 0; i < n; i += 2) {
    const poster = `P${String(i % 50).padStart(5, "0")}`;
    const session = ids === "time" ? newSessionId(poster, PAGE_SCAN, at) : poster + randomTail();
    const ip = `${(serial++ * 7919 + i).toString(16).padStart(16, "0")}`.slice(-16);
    for (const hop of ["scanned", "landing"] as const) {
      const row = buildHop(
        {
          kind: "poster",
          subject_id: poster,
          hop,
          store_id: `st_${i % 5}`,
          campaign_id: "cmp_bench",
          poster_id: poster,
          session_id: session,
          platform: i % 3 ? "ios" : "android",
          created_at: at - 12_345,
          detail: hop === "scanned" ? { via: "page", browser: "safari", os: "ios" } : null,
        },
        null,
        "bench-salt",
        at,
      );
      if (ids === "random") row.event_id = randomEventId();
      out.push({ ...row, ip_hash: ip, country: "DE", colo: "FRA" });
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
    const ids = url.searchParams.get("ids") === "random" ? "random" : "time";
    if (url.pathname === "/setup") {
      await env.DB.prepare(
        `CREATE TABLE IF NOT EXISTS bench_bare (${HOP_COLUMNS.join(", ")})`,
      ).run();
      return Response.json({ ok: true });
    }
    const data = rows(n, ids);
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
