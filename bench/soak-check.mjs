// What the soak (bench/soak.mjs) reads back and compares with its ledger: the funnel by every
// group, the raw export (every page), and the table of expected against counted.
import { joinCsvPages } from "../src/client/console/hops-download.js";
import { fetchRetrying } from "./fetch-retrying.mjs";
import { exportKey, GROUPS, STAGES, withinSketchBound } from "./soak-ledger.mjs";

/** The funnel's filter parameter of each grouping the soak filters by. */
const FILTERS = { store: "store_id", campaign: "campaign_id", source: "source" };

/**
 * `GET /v1/stats/funnel` for the day range, grouped: group value → its row (and the raw body).
 * `auth` is the secret key, or `{ cookie }` of a console session to read the console's copy,
 * `/dashboard/api/funnel`.
 */
export async function readFunnel(url, auth, from, to, groupBy, filter = null) {
  let q = `from=${from}&to=${to}&group_by=${groupBy}&limit=1000`;
  if (filter) q += `&${FILTERS[filter.by]}=${encodeURIComponent(filter.value)}`;
  const [path, headers] =
    typeof auth === "string"
      ? ["/v1/stats/funnel", { authorization: `Bearer ${auth}` }]
      : ["/dashboard/api/funnel", { cookie: auth.cookie }];
  const res = await fetchRetrying(`${url}${path}?${q}`, { headers });
  if (res.status !== 200) throw new Error(`${path} ${groupBy}: ${res.status} ${await res.text()}`);
  const body = await res.json();
  const rows = new Map(body.rows.map((r) => [r.group ?? null, r]));
  return { rows, totals: body.totals, body };
}

/** Sign in to the console with the key, as its sign-in form does: the session cookie. */
export async function consoleSession(url, key) {
  const res = await fetchRetrying(`${url}/dashboard/login`, {
    method: "POST",
    headers: { origin: url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ key }).toString(),
    redirect: "manual",
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  await res.arrayBuffer();
  if (res.status !== 303 || !cookie) throw new Error(`console sign-in: ${res.status}`);
  return { cookie };
}

/**
 * The console's numbers against the API's: its funnel (every group the soak checks) must be
 * the API's, row for row, and its CSV download hold every exported hop.
 */
export async function compareConsole(url, key, from, to, exportedRows) {
  const mismatches = [];
  const session = await consoleSession(url, key);
  for (const groupBy of Object.keys(GROUPS)) {
    const api = await readFunnel(url, key, from, to, groupBy);
    const dash = await readFunnel(url, session, from, to, groupBy);
    if (JSON.stringify(api.body.rows) !== JSON.stringify(dash.body.rows))
      mismatches.push(`console funnel ${groupBy}: its rows differ from /v1/stats/funnel`);
  }
  // Page after page (`X-Next-Cursor`), joined as the console's download joins them: a page ends
  // after a bounded number of archive objects, so a busy soak's hops span several.
  let status = 200;
  const { rows: records } = await joinCsvPages(
    async (path) => {
      const res = await fetchRetrying(`${url}${path}`, { headers: { cookie: session.cookie } });
      status = res.status;
      return { ok: res.ok, status, text: await res.text(), next: res.headers.get("x-next-cursor") };
    },
    `/dashboard/api/hops.csv?from=${from}&to=${to}`,
    Number.POSITIVE_INFINITY,
  ).catch((err) => ({ rows: `failed (${err.message})` }));
  if (status !== 200 || records !== exportedRows)
    mismatches.push(`console hops.csv: ${status}, ${records} rows, export ${exportedRows}`);
  return {
    line: `console: funnel by ${Object.keys(GROUPS).length} groups and hops.csv (${records} rows) as the API`,
    mismatches,
  };
}

/** Every row of `GET /v1/hops` for the day range, page after page (NDJSON). */
export async function readExport(url, key, from, to) {
  const rows = [];
  let cursor = "";
  let pages = 0;
  for (;;) {
    const q = `from=${from}&to=${to}&format=ndjson&limit=10000${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await fetchRetrying(`${url}/v1/hops?${q}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
    for (const line of (await res.text()).split("\n")) if (line.trim()) rows.push(JSON.parse(line));
    pages++;
    cursor = res.headers.get("x-next-cursor") ?? "";
    if (!cursor) return { rows, pages };
  }
}

/**
 * Compare the funnel of every group the soak checks with the ledger (with `filter`, of one
 * store, campaign or source, by day, poster, platform, in-app browser and way in): lines of
 * the table, and the mismatches. `zones`, when given, is what the answer must name: its
 * `time_zone` and (unfiltered) `time_zones`. A by-day count the ledger cannot place (a hop
 * answered as its zone's midnight passed) prints as `expected+unsure/counted` and matches
 * anywhere in that range.
 *
 * @example
 * const { lines, mismatches } = await compareFunnels(w.url, key, ledger, day, day);
 */
export async function compareFunnels(url, key, ledger, from, to, filter = null, zones = null) {
  const lines = [];
  const mismatches = [];
  const cols = [...STAGES, "direct_app_opens"];
  const short = { direct_app_opens: "direct" };
  const head = ["group_by", "group", ...cols.map((c) => short[c] ?? c), "uniques"];
  lines.push(head.map((h, i) => (i < 2 ? h.padEnd(i ? 24 : 9) : h.padStart(14))).join(" "));
  const groupings = filter ? ["day", "poster", "platform", "in_app", "via"] : Object.keys(GROUPS);
  const where = filter ? `${filter.by}=${filter.value}:` : "";
  for (const groupBy of groupings) {
    const expected = ledger.funnel(groupBy, filter);
    const { rows, body } = await readFunnel(url, key, from, to, groupBy, filter);
    if (zones && groupBy === groupings[0]) {
      const named = {
        time_zone: body.time_zone,
        ...(filter ? {} : { time_zones: body.time_zones }),
      };
      if (JSON.stringify(named) !== JSON.stringify(zones))
        mismatches.push(
          `funnel ${where}: names ${JSON.stringify(named)}, not ${JSON.stringify(zones)}`,
        );
    }
    const groups = new Set([...expected.keys(), ...rows.keys()]);
    for (const g of [...groups].sort((a, b) => String(a).localeCompare(String(b)))) {
      const want = expected.get(g);
      const got = rows.get(g);
      const cells = [`${where}${groupBy}`.padEnd(9), String(g).slice(0, 24).padEnd(24)];
      let bad = false;
      for (const c of cols) {
        const e = want?.[c] ?? 0;
        const x = want?.extra[c] ?? 0;
        const n = got?.[c] ?? 0;
        const ok = n >= e && n <= e + x;
        if (!ok) bad = true;
        cells.push(`${ok ? "" : "✗"}${e}${x ? `+${x}` : ""}/${n}`.padStart(14));
      }
      const eu = want?.uniques.size ?? 0;
      const most = want ? new Set([...want.uniques, ...want.maybeUniques]).size : 0;
      const nu = got?.unique_scanners ?? 0;
      const uniqueOk = (nu >= eu && nu <= most) || withinSketchBound(nu < eu ? eu : most, nu);
      if (!uniqueOk) bad = true;
      const more = most > eu ? `+${most - eu}` : "";
      cells.push(`${uniqueOk ? "" : "✗"}${eu}${more}/${nu}`.padStart(14));
      if (bad)
        mismatches.push(`funnel ${where}${groupBy}=${g}: ${cells.slice(2).join(" ").trim()}`);
      // The long tail of posters and stores prints only where it is wrong; empty days not at all.
      const empty = !want && !got?.scanned && !got?.app_open && !got?.converted;
      if (
        bad ||
        (!empty && ((!filter && !["poster", "store"].includes(groupBy)) || rows.size <= 12))
      )
        lines.push(cells.join(" "));
    }
  }
  return { lines, mismatches };
}

/**
 * Compare the export with the ledger, hop by hop (kind, hop, bot, platform), and check that no
 * event id comes twice.
 */
export function compareExport(ledger, exported) {
  const lines = [];
  const mismatches = [];
  const expected = ledger.exportCounts();
  const counted = new Map();
  for (const r of exported) {
    const k = exportKey(r);
    counted.set(k, (counted.get(k) ?? 0) + 1);
  }
  const ids = new Set(exported.map((r) => r.event_id));
  if (ids.size !== exported.length)
    mismatches.push(`export: ${exported.length - ids.size} event id(s) twice`);
  lines.push(
    `${"kind/hop/bot/platform".padEnd(34)} ${"expected".padStart(9)} ${"exported".padStart(9)}`,
  );
  for (const k of [...new Set([...expected.keys(), ...counted.keys()])].sort()) {
    const e = expected.get(k) ?? 0;
    const n = counted.get(k) ?? 0;
    lines.push(
      `${k.padEnd(34)} ${String(e).padStart(9)} ${String(n).padStart(9)}${e === n ? "" : "  ✗"}`,
    );
    if (e !== n) mismatches.push(`export ${k}: expected ${e}, exported ${n}`);
  }
  // Per poster too: every poster's scans, landings, app opens and conversions, people only.
  const perPoster = (rows) => {
    const m = new Map();
    for (const r of rows) {
      if (r.kind !== "poster" || r.bot) continue;
      const k = `${r.poster_id}/${r.hop}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const pe = perPoster(ledger.hops);
  const pc = perPoster(exported);
  for (const k of new Set([...pe.keys(), ...pc.keys()]))
    if ((pe.get(k) ?? 0) !== (pc.get(k) ?? 0))
      mismatches.push(`export poster ${k}: expected ${pe.get(k) ?? 0}, exported ${pc.get(k) ?? 0}`);
  return { lines, mismatches };
}

/**
 * What the Worker said about its own counting path: dead letters (admin key) and its log lines
 * that name hops — failed batches, sends that fell back to the spool or a direct write, shed
 * hops — each kind of line once with how often it came.
 */
export async function workerReport(url, adminKey, fullLog) {
  const res = await fetchRetrying(`${url}/v1/dead-letters?limit=500`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  const letters = res.status === 200 ? (await res.json()).dead_letters : [];
  const lines = new Map();
  let failedDeliveries = 0;
  for (const line of fullLog.split("\n")) {
    const queue = /QUEUE (qrbridge-[a-z-]+) (\d+)\/(\d+)/.exec(line);
    if (queue && queue[2] !== queue[3]) failedDeliveries++;
    if (!/qrbridge: |✘|Uncaught|Error:/.test(line) || queue) continue;
    const shape = line.replace(/\d+/g, "N").slice(0, 160);
    lines.set(shape, (lines.get(shape) ?? 0) + 1);
  }
  const out = [
    `worker: ${letters.length} dead letter(s), ${failedDeliveries} queue batch(es) not all acknowledged`,
  ];
  for (const l of letters.slice(0, 5))
    out.push(`  dead letter ${l.queue ?? ""} ${l.reason ?? ""}`.trim());
  for (const [shape, n] of [...lines].sort((a, b) => b[1] - a[1]).slice(0, 15))
    out.push(`  ${n}× ${shape}`);
  return { lines: out, deadLetters: letters.length };
}
