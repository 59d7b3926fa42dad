// The soak's phases (bench/soak.mjs runs them in order): the stores, campaigns and posters it
// seeds, the lanes of mixed traffic, the crons fired mid-traffic, and the wait until the queue
// has drained and the counts stop moving.
import { api } from "./lib.mjs";
import { readExport, readFunnel } from "./soak-check.mjs";
import { playStory } from "./soak-zones.mjs";

/** The crons of wrangler.toml `[triggers]`: the hop spool every minute, maintenance hourly. */
const CRONS = ["* * * * *", "17 * * * *"];
/** How often each scenario runs, out of the total weight. */
const MIX = [
  ["posterVisit", 40],
  ["posterDirect", 15],
  ["posterBot", 15],
  ["handoff", 14],
  ["login", 8],
  ["posterSeasonal", 4],
  ["abandoned", 3],
  ["forged", 3],
];

/**
 * Stores (some in time zones of their own, `plan.zones`), campaigns and posters: a few busy
 * (the front of the list), many quiet.
 */
export async function seed(url, key, rnd, plan, zones) {
  const stores = [];
  for (let i = 0; i < 12; i++) {
    const zone = plan.zones[i] ? { time_zone: plan.zones[i] } : {};
    const s = await api(url, key, "POST", "/v1/stores", { name: `Store ${i}`, ...zone });
    stores.push(s.id);
    // The name the Worker keeps (canonical) is the one its answers name.
    zones.set(s.id, s.time_zone);
  }
  const posters = [];
  for (let i = 0; i < 60; i++) {
    const body = {
      name: `Poster ${i}`,
      path: `/menu/${i}`,
      // The busy posters sit in the busy stores; a fifth of the tail has no store at all.
      ...(i % 5 === 4 ? {} : { store_id: stores[Math.min(stores.length - 1, Math.floor(i / 5))] }),
      ...(i % 3 === 2 ? {} : { campaign: `campaign-${Math.floor(rnd.random() * 5)}` }),
    };
    const p = await api(url, key, "POST", "/v1/posters", body);
    posters.push({
      id: p.id,
      url: p.url,
      store_id: p.store_id ?? null,
      campaign_id: p.campaign_id ?? null,
    });
  }
  // Seasonal posters, paused and resumed during the run (bench/soak-traffic.mjs).
  const seasonal = [];
  for (let i = 0; i < 3; i++) {
    const body = {
      name: `Seasonal ${i}`,
      path: "/sale",
      store_id: stores[0],
      campaign: "seasonal",
    };
    const p = await api(url, key, "POST", "/v1/posters", body);
    seasonal.push({ id: p.id, url: p.url, store_id: p.store_id, campaign_id: p.campaign_id });
  }
  return { stores, posters, seasonal };
}

/** Run scenarios on `lanes` concurrent lanes until `until` (unix ms), each a story of its own. */
export async function drive(play, rnd, lanes, until) {
  const total = MIX.reduce((n, [, w]) => n + w, 0);
  const next = () => {
    let x = rnd.random() * total;
    for (const [name, weight] of MIX) {
      x -= weight;
      if (x < 0) return name;
    }
    return MIX[0][0];
  };
  const counts = Object.fromEntries(MIX.map(([n]) => [n, 0]));
  const lane = async () => {
    while (Date.now() < until) {
      const name = next();
      counts[name]++;
      await playStory(play[name]);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return counts;
}

/** Fire the crons every `everyMs` until `until`, as the platform would mid-traffic. */
export async function fireCrons(url, until, everyMs) {
  let fired = 0;
  for (let i = 0; Date.now() < until; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    // The minute cron each time, the hourly one every other time.
    for (const cron of i % 2 ? CRONS : CRONS.slice(0, 1)) {
      const res = await fetch(`${url}/__scheduled?cron=${encodeURIComponent(cron)}`);
      await res.text();
      if (res.status !== 200) throw new Error(`cron ${cron}: ${res.status}`);
      fired++;
    }
  }
  return fired;
}

/**
 * Wait until the funnel totals and the export stop moving (the queue has drained): 4 polls
 * alike once the export holds as many hops as the ledger expects; short of that, 25 polls
 * alike (over 3 minutes), since a failed batch is retried after 5, 10, 20, 40, 80 s before its
 * messages become dead letters.
 */
export async function drained(url, key, [from, to], expected, log) {
  let last = "";
  let still = 0;
  for (let i = 0; i < 90; i++) {
    await new Promise((r) => setTimeout(r, 8000));
    // The minute cron as well: it counts whatever a refused send spooled to R2.
    await (await fetch(`${url}/__scheduled?cron=${encodeURIComponent(CRONS[0])}`)).text();
    const { totals } = await readFunnel(url, key, from, to, "day");
    const { rows } = await readExport(url, key, from, to);
    const now = `${JSON.stringify(totals)} ${rows.length}`;
    log(`  drain: export ${rows.length} rows (ledger ${expected}), scanned ${totals.scanned}`);
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= (rows.length >= expected ? 4 : 25)) return rows;
  }
  throw new Error("the counts never settled");
}
