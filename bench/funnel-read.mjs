/**
 * `node bench/funnel-read.mjs [hops]`: where a long-range funnel spends its time, without workerd.
 * A year of rollups for `hops` hops (default 5,000,000; 2,000 posters) folded by the consumer's
 * own code, then every funnel (7–365 days × every group_by) timed against an in-memory D1
 * stand-in (bench/funnel-read-node.ts): what is left is the Worker's own work, parsing and
 * merging. Profile it with `node --cpu-prof bench/funnel-read.mjs`. It also prints a checksum
 * of the figures, so a faster reader can be checked to answer exactly the same.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
const { seedYear, timeFunnels } = await import(url);

// Seeding takes minutes; the rows are deterministic, so they are kept between runs.
const cache = join(tmpdir(), `qrbridge-funnel-read-${HOPS}.json`);
const t0 = performance.now();
const year = existsSync(cache)
  ? JSON.parse(readFileSync(cache, "utf8"))
  : seedYear(END, Math.round(HOPS / 365 / HOPS_PER_SCAN));
if (!existsSync(cache)) writeFileSync(cache, JSON.stringify(year));
console.log(
  `funnel-read: ${year.hops.toLocaleString("en")} hops, ${year.dayRows.length.toLocaleString("en")} day rows, ${year.monthRows.length.toLocaleString("en")} month rows, ${year.totals.length} total rows (seeded in ${Math.round(performance.now() - t0)} ms)`,
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
