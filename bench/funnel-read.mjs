/**
 * `node bench/funnel-read.mjs [hops]`: where a long-range funnel spends its time, without workerd.
 * A year of rollups for `hops` hops (default 5,000,000; 2,000 posters) folded by the consumer's
 * own code and stored as the cron leaves them (finished days' sketches compact;
 * FUNNEL_READ_JSON=1 keeps every sketch JSON, as before compaction), then every funnel (7–365 days × every group_by) timed against an in-memory D1
 * stand-in (bench/funnel-read-node.ts): what is left is the Worker's own work, parsing and
 * merging. Profile it with `node --cpu-prof bench/funnel-read.mjs`. It also prints a checksum
 * of the figures, so a faster reader can be checked to answer exactly the same.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, readFileSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";

const ROOT = new URL("../", import.meta.url).pathname;
const HOPS = Number(process.argv[2]) || 5_000_000;
/** Hops per person scan in the traffic model (as bench/store.mjs measures it). */
const HOPS_PER_SCAN = 2.3;
const END = "2025-12-31";

const bundle = await build({
  entryPoints: [`${ROOT}bench/funnel-read-node.ts`],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "es2022",
  write: false,
  logLevel: "warning",
});
const url = `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`;
const { seedYear, columnSizes, timeFunnels } = await import(url);

// Seeding takes minutes; the rows are deterministic, so they are kept between runs, one JSON
// line each (a year of 50 M hops is more text than one string can hold).
const JSON_ONLY = Boolean(process.env.FUNNEL_READ_JSON);
const cache = join(tmpdir(), `qrbridge-funnel-read-${HOPS}${JSON_ONLY ? "" : "-compact"}.ndjson`);
const TABLES = ["dayRows", "totals", "monthRows"];

async function load() {
  const year = { hops: 0, dayRows: [], totals: [], monthRows: [] };
  const lines = createInterface({ input: createReadStream(cache), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const { t, ...row } = JSON.parse(line);
    if (t === "hops") year.hops = row.hops;
    else year[TABLES[t]].push(row);
  }
  return year;
}

async function save(year) {
  const out = createWriteStream(`${cache}.tmp`);
  const write = (line) => (out.write(`${line}\n`) ? null : once(out, "drain"));
  await write(JSON.stringify({ t: "hops", hops: year.hops }));
  for (const [t, table] of TABLES.entries())
    for (const row of year[table]) await write(JSON.stringify({ t, ...row }));
  out.end();
  await once(out, "finish");
  renameSync(`${cache}.tmp`, cache);
}

const t0 = performance.now();
const cached = existsSync(cache);
// The cron keeps yesterday and today as days: every earlier day is compact (unless JSON_ONLY).
// A cache of the earlier format (one JSON document, all sketches JSON) is read as it is.
const legacy = join(tmpdir(), `qrbridge-funnel-read-${HOPS}.json`);
const year = cached
  ? await load()
  : JSON_ONLY && existsSync(legacy)
    ? JSON.parse(readFileSync(legacy, "utf8"))
    : seedYear(END, Math.round(HOPS / 365 / HOPS_PER_SCAN), JSON_ONLY ? undefined : "2025-12-29");
if (!cached) await save(year);
console.log(
  `funnel-read: ${year.hops.toLocaleString("en")} hops, ${year.dayRows.length.toLocaleString("en")} day rows, ${year.monthRows.length.toLocaleString("en")} month rows, ${year.totals.length} total rows, sketches ${JSON_ONLY ? "all JSON (as before compaction)" : "of finished days compact"} (${cached ? "read" : "seeded"} in ${Math.round(performance.now() - t0)} ms)`,
);
const perMillion = (chars) => ((chars / year.hops) * 1e6) / 1e6;
for (const [table, s] of Object.entries(columnSizes(year)))
  console.log(
    `  ${table} rows: ${s.rows.toLocaleString("en")}; MB per million hops: counts ${perMillion(s.counts).toFixed(2)}, delays ${perMillion(s.delays).toFixed(2)}, scanners (JSON) ${perMillion(s.scanners).toFixed(2)}, sketch_all ${perMillion(s.sketch_all).toFixed(2)}, sketch_dims ${perMillion(s.sketch_dims).toFixed(2)}`,
  );
// FUNNEL_READ_ONLY=365:day,90:store times only those (for a profile of one query).
const only = process.env.FUNNEL_READ_ONLY?.split(",");
const results = await timeFunnels(year, END, 3, only);
const hash = createHash("sha256");
for (const days of [7, 30, 90, 365]) {
  const cells = results.filter((r) => r.days === days);
  console.log(`  ${days} days: ${cells.map((r) => `${r.group} ${r.ms.toFixed(0)} ms`).join("; ")}`);
  for (const r of cells) hash.update(`${r.days}|${r.group}|${r.groups}|${r.scanned}|${r.unique}\n`);
}
console.log(`funnel-read: figures checksum ${hash.digest("hex").slice(0, 16)}`);
