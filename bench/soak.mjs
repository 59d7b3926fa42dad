// Soak: a busy day through the whole product, every number checked against the truth. The real
// Worker under `wrangler dev` (its own queue consumer, D1, KV, DOs, R2; fresh state), a long
// tail of stores (six in time zones of their own, one moved between UTC+14 and UTC−11 while its
// traffic goes on: bench/soak-zones.mjs), campaigns and posters, and `SOAK_CONCURRENCY` lanes of
// mixed traffic for `SOAK_SECONDS` — people scanning and opening the app, bots and previewers,
// handoffs, QR logins, codes walked away from, forgers — with both crons fired in the middle of
// it. Each scenario writes the hops its answers prove into a ledger (bench/soak-ledger.mjs);
// once the queue has drained, the funnel by day, store, campaign, poster, platform, in-app
// browser, source and way in (and filtered by each store, in its own days, a campaign, a
// source), every exported row's day, the whole export and the console's copies are compared
// with it, and the Worker's dead letters and counting-path log lines reported. Prints
// expected/counted and exits non-zero on any mismatch.
//
// Run: `npm run bench -- soak`, or `SOAK_SECONDS=300 SOAK_CONCURRENCY=24 node bench/soak.mjs`
// (SOAK_SEED replays a run's traffic; SOAK_PORT moves it off 18761; SOAK_PEOPLE, 3,000 by
// default: a few dozen send the busiest past their per-minute call budget, `429`s that count
// nothing and are listed as unexpected answers; SOAK_MIDNIGHT=wait first waits, up to half an
// hour, until some zone's midnight will fall mid-run; SOAK_MIDNIGHT_ZONE names that zone). Like
// every `wrangler dev` bench it needs the built client, fonts and kits (`npm test` and
// `npm run dev` build them).
import { pathToFileURL } from "node:url";
import { ADMIN_KEY, api, mintKey, startWorker } from "./lib.mjs";
import { compareConsole, compareExport, compareFunnels, workerReport } from "./soak-check.mjs";
import { Ledger } from "./soak-ledger.mjs";
import { makePeople, seeded } from "./soak-people.mjs";
import { drained, drive, fireCrons, seed } from "./soak-phases.mjs";
import { scenarios } from "./soak-traffic.mjs";
import {
  checkExportDays,
  DEPLOYMENT_ZONE,
  placeMidnight,
  StoreZones,
  zonePlan,
} from "./soak-zones.mjs";

const PORT = Number(process.env.SOAK_PORT) || 18761;
/**
 * Run the soak; resolves with the printed lines and whether every number matched.
 *
 * @example
 * const { lines, ok } = await soak({ seconds: 60, lanes: 16 });
 */
export async function soak({ seconds, lanes, seedValue, log = console.log }) {
  const rnd = seeded(seedValue);
  const w = await startWorker({
    port: PORT,
    args: ["--inspector-port", String(PORT + 1000), "--test-scheduled"],
  });
  try {
    const scopes = [
      "handoffs:write",
      "posters:write",
      "stats:read",
      "logins:write",
      "events:write",
    ];
    const key = await mintKey(w.url, { name: "soak", kind: "secret", scopes });
    const midnight = await placeMidnight(seconds, log);
    const plan = zonePlan(midnight);
    const zones = new StoreZones();
    const { stores, posters, seasonal } = await seed(w.url, key, rnd, plan, zones);
    const ledger = new Ledger(zones);
    const people = makePeople(Number(process.env.SOAK_PEOPLE) || 3000, rnd);
    const world = { url: w.url, key, people, posters, seasonal, ledger, rnd, zones };
    const play = scenarios(world);
    const started = Date.now();
    const until = started + seconds * 1000;
    log(
      `soak: ${seconds} s, ${lanes} lanes, seed ${seedValue}, ${stores.length} stores, ${posters.length} posters, midnight in ${midnight ?? "no zone"}`,
    );
    // A store moves between UTC+14 and UTC−11 a few times mid-traffic, its stories going on.
    const moved = stores[plan.moved];
    const changes = async () => {
      const done = [];
      for (const { at, to } of plan.changes) {
        await new Promise((r) => setTimeout(r, started + at * seconds * 1000 - Date.now()));
        const patch = () => api(w.url, key, "PATCH", `/v1/stores/${moved}`, { time_zone: to });
        const zone = await zones.change(moved, async () => (await patch()).time_zone);
        done.push(`${zone} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
      return `store ${plan.moved} moved to ${done.join(", ")}`;
    };
    const [counts, crons, changed] = await Promise.all([
      drive(play, rnd, lanes, until),
      fireCrons(w.url, until, 20_000),
      changes(),
    ]);
    const trafficSeconds = (Date.now() - started) / 1000;
    // Every day a hop may be on, and one more each side: a hop filed a day off shows where.
    const days = ledger.hops.flatMap((h) => h.maybe ?? [h.day]).sort();
    const around = (day, d) =>
      new Date(Date.parse(day) + d * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [around(days[0], -1), around(days.at(-1), 1)];
    const exported = await drained(w.url, key, [from, to], ledger.hops.length, log);
    const funnel = await compareFunnels(w.url, key, ledger, from, to, null, {
      time_zone: DEPLOYMENT_ZONE,
      time_zones: zones.zonesInUse(),
    });
    // Filtered, a funnel reads the per-poster rows instead of the day's totals: each store by its
    // own days (the tables print their days), a campaign and the handoffs.
    const filters = [
      ...stores.map((id) => ({ by: "store", value: id, zone: zones.zoneOf(id) })),
      { by: "campaign", value: posters[0].campaign_id ?? posters[1].campaign_id },
      { by: "source", value: "handoff" },
    ];
    for (const { zone, ...filter } of filters) {
      const named = { time_zone: zone ?? DEPLOYMENT_ZONE };
      const part = await compareFunnels(w.url, key, ledger, from, to, filter, named);
      const dayRows = part.lines.slice(1).filter((l) => l.includes(":day ") || !zone);
      funnel.lines.push(...(zone === DEPLOYMENT_ZONE ? [] : dayRows));
      funnel.mismatches.push(...part.mismatches);
    }
    const posterStore = new Map([...posters, ...seasonal].map((p) => [p.id, p.store_id]));
    const dayCheck = checkExportDays(exported, posterStore, zones);
    const exp = compareExport(ledger, exported);
    const dash = await compareConsole(w.url, key, from, to, exported.length);
    const worker = await workerReport(w.url, ADMIN_KEY, w.fullLog());
    const mismatches = [
      ...(worker.deadLetters ? [`${worker.deadLetters} dead letter(s)`] : []),
      ...ledger.surprises.map((s) => `answer: ${s}`),
      ...(ledger.surprised > ledger.surprises.length
        ? [`answer: ${ledger.surprised - ledger.surprises.length} more unexpected answers`]
        : []),
      ...funnel.mismatches,
      ...exp.mismatches,
      ...dayCheck.mismatches,
      ...dash.mismatches,
    ];
    const lines = [
      `soak: ${trafficSeconds.toFixed(0)} s of traffic, ${lanes} lanes, ${ledger.requests} requests (${(ledger.requests / trafficSeconds).toFixed(0)}/s), ${ledger.hops.length} hops expected, ${exported.length} exported, ${crons} crons fired`,
      `soak: scenarios ${JSON.stringify(counts)}`,
      "soak: funnel, expected/counted (uniques within 3 standard errors of the sketch)",
      ...funnel.lines.map((l) => `  ${l}`),
      "soak: export, expected/exported",
      ...exp.lines.map((l) => `  ${l}`),
      `soak: time zones: midnight in ${midnight ?? "no zone"} during the run; ${changed}; ${ledger.unsure} hop(s) answered as their zone's day or their store's zone changed`,
      `soak: export rows by zone and day, each row's day that of its at (${dayCheck.unsure} in a change's window)`,
      ...dayCheck.lines.map((l) => `  ${l}`),
      `soak: ${dash.line}`,
      ...worker.lines.map((l) => `soak: ${l}`),
      mismatches.length ? `soak: ${mismatches.length} MISMATCH(ES)` : "soak: every number matches",
      ...mismatches.slice(0, 60).map((m) => `  ✗ ${m}`),
    ];
    return { lines, ok: mismatches.length === 0 };
  } finally {
    await w.stop();
  }
}

/**
 * The bench entry (`npm run bench -- soak`): throws when a number does not match.
 *
 * @example
 * for (const line of await run()) console.log(line);
 */
export async function run() {
  const { lines, ok } = await soak({
    seconds: Number(process.env.SOAK_SECONDS) || 300,
    lanes: Number(process.env.SOAK_CONCURRENCY) || 24,
    seedValue: Number(process.env.SOAK_SEED) || Date.now() % 100_000,
    log: () => {},
  });
  if (!ok) throw new Error(`soak mismatches:\n${lines.join("\n")}`);
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { lines, ok } = await soak({
    seconds: Number(process.env.SOAK_SECONDS) || 300,
    lanes: Number(process.env.SOAK_CONCURRENCY) || 24,
    seedValue: Number(process.env.SOAK_SEED) || Date.now() % 100_000,
  });
  for (const line of lines) console.log(line);
  process.exitCode = ok ? 0 : 1;
}
