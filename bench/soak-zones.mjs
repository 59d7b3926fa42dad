// Stores in time zones for the soak (bench/soak.mjs): which store carries which IANA zone, the
// day a hop counts on (its poster's store's local day, else the deployment's), a zone whose
// midnight falls inside the run (wrangler dev runs on the machine's clock: the run is placed so
// that a real local midnight comes mid-traffic), a store's zone changed mid-run while its
// stories go on (a hop whose call was in flight as it changed may be on either zone's day), and
// the checks of the export's `day` against each row's `at` and of the funnel's `time_zones`.
// The ledger computes days with its own Intl formatter, never with the Worker's code.
import { AsyncLocalStorage } from "node:async_hooks";

/** The deployment's reporting zone: wrangler.toml sets no `QB_REPORTING_TIME_ZONE`. */
export const DEPLOYMENT_ZONE = "UTC";

/** The story a lane is playing: when the first call that may prove its next hop was sent. */
export const story = new AsyncLocalStorage();

const formats = new Map();

/**
 * The day (`YYYY-MM-DD`) unix ms `ms` shows on `zone`'s clocks.
 *
 * @example
 * zonedDay(Date.UTC(2026, 11, 7, 18, 40), "Asia/Kolkata") // "2026-12-08"
 */
export function zonedDay(ms, zone) {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formats.set(zone, f);
  }
  return f.format(ms);
}

/** One zone per offset in use (modern names; the Worker keeps the name it is given, canonical). */
const ZONES_BY_OFFSET = [
  "Pacific/Kiritimati",
  "Pacific/Chatham",
  "Pacific/Tongatapu",
  "Pacific/Auckland",
  "Pacific/Fiji",
  "Pacific/Noumea",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Australia/Adelaide",
  "Australia/Brisbane",
  "Australia/Darwin",
  "Asia/Tokyo",
  "Australia/Eucla",
  "Asia/Shanghai",
  "Asia/Bangkok",
  "Asia/Yangon",
  "Asia/Dhaka",
  "Asia/Kathmandu",
  "Asia/Kolkata",
  "Asia/Karachi",
  "Asia/Kabul",
  "Asia/Dubai",
  "Asia/Tehran",
  "Europe/Moscow",
  "Europe/Athens",
  "Europe/Berlin",
  "Atlantic/Cape_Verde",
  "America/Noronha",
  "America/Sao_Paulo",
  "America/St_Johns",
  "America/Halifax",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Marquesas",
  "Pacific/Honolulu",
  "Pacific/Pago_Pago",
];

/**
 * A zone whose local midnight falls between `from` and `to` (unix ms), or null: `wanted` when
 * it does, else one of a zone per offset the world uses (so one every half hour, some at :15
 * and :45).
 *
 * @example
 * midnightZone(Date.UTC(2026, 11, 7, 18, 29), Date.UTC(2026, 11, 7, 18, 31)) // "Asia/Kolkata"
 */
export function midnightZone(from, to, wanted = null) {
  const crosses = (z) => zonedDay(from, z) !== zonedDay(to, z);
  if (wanted) return crosses(wanted) ? wanted : null;
  return ZONES_BY_OFFSET.find(crosses) ?? null;
}

/** When (to the second) the next local midnight of `wanted` or of any zone comes after `from`. */
export function nextMidnight(from, wanted = null) {
  let t = from + 60_000;
  while (!midnightZone(from, t, wanted)) t += 60_000;
  while (midnightZone(from, t - 1000, wanted)) t -= 1000;
  return t;
}

/**
 * The zone whose midnight falls in the middle of the traffic about to start (`SOAK_MIDNIGHT_ZONE`
 * names one), or null. `wrangler dev` runs on the machine's clock, so with `SOAK_MIDNIGHT=wait`
 * the run first waits (up to half an hour) until some zone's midnight will come halfway.
 *
 * @example
 * const zone = await placeMidnight(150, console.log); // "Asia/Kolkata" at 18:29 UTC
 */
export async function placeMidnight(seconds, log) {
  const ms = seconds * 1000;
  const lead = 8000; // the seeding, before the traffic starts
  const wanted = process.env.SOAK_MIDNIGHT_ZONE || null;
  const now = Date.now();
  if (
    process.env.SOAK_MIDNIGHT === "wait" &&
    !midnightZone(now + lead + ms * 0.25, now + lead + ms * 0.75, wanted)
  ) {
    const at = nextMidnight(now + lead + ms * 0.5, wanted);
    const wait = at - now - lead - ms * 0.5;
    log(
      `soak: waiting ${(wait / 1000).toFixed(0)} s, for a midnight at ${new Date(at).toISOString()} to come halfway`,
    );
    await new Promise((r) => setTimeout(r, wait));
  }
  const start = Date.now() + lead;
  return midnightZone(start + ms * 0.15, start + ms * 0.85, wanted);
}

/**
 * The zone of each store (index → zone, absent: none, the deployment's) and the zone changes of
 * the run (at a share of its traffic): a store between UTC+14 and UTC−11, so that its hops after
 * each change count a whole day off those before it, each as the product promises
 * (docs/stats.md: "A change of a store's zone"), while its stories go on.
 */
export function zonePlan(midnight) {
  const zones = {
    0: "Asia/Tokyo",
    1: "Pacific/Kiritimati",
    2: midnight ?? "Asia/Shanghai",
    3: "America/Los_Angeles",
    4: "Asia/Kolkata",
    5: "Pacific/Pago_Pago",
  };
  const changes = [
    { at: 0.35, to: "Pacific/Pago_Pago" },
    { at: 0.5, to: "Pacific/Kiritimati" },
    { at: 0.65, to: "Pacific/Pago_Pago" },
  ];
  return { zones, moved: 1, changes };
}

/**
 * The zones of the stores over time, as the ledger knows them: each store's zones, each from
 * the moment its change was sent (it may apply from then) to the moment the next change was
 * answered (it applies no longer).
 */
export class StoreZones {
  constructor() {
    /** store id → [{ zone, sent, from }] oldest first; `from` = when its PATCH was answered. */
    this.history = new Map();
  }

  set(storeId, zone, sent = -Infinity, from = -Infinity) {
    const h = this.history.get(storeId) ?? [];
    h.push({ zone: zone ?? DEPLOYMENT_ZONE, sent, from });
    this.history.set(storeId, h);
  }

  /** The zone a store carries now (a store id null: the deployment's). */
  zoneOf(storeId) {
    if (!storeId) return DEPLOYMENT_ZONE;
    return this.history.get(storeId)?.at(-1).zone ?? DEPLOYMENT_ZONE;
  }

  /** Every zone a store carries or has carried, the deployment's first (the funnel's `time_zones`). */
  zonesInUse() {
    const set = new Set();
    for (const h of this.history.values())
      for (const { zone } of h) if (zone !== DEPLOYMENT_ZONE) set.add(zone);
    return [DEPLOYMENT_ZONE, ...[...set].sort()];
  }

  /** The zones a hop of the store recorded between unix ms `since` and `until` may be filed in. */
  zonesDuring(storeId, since, until) {
    const h = (storeId && this.history.get(storeId)) || [
      { zone: DEPLOYMENT_ZONE, sent: -Infinity },
    ];
    return h.filter((e, i) => e.sent <= until && !(h[i + 1]?.from <= since)).map((e) => e.zone);
  }

  /**
   * The zone a hop of store `storeId` at unix ms `at` must be filed in: null while a change was
   * in flight (between its PATCH sent and answered), when either zone would be right.
   */
  zoneAt(storeId, at) {
    const zones = this.zonesDuring(storeId, at, at);
    return zones.length === 1 ? zones[0] : null;
  }

  /** Change a store's zone (`patch()` resolves with the zone the Worker answers it carries). */
  async change(storeId, patch) {
    const sent = Date.now();
    const zone = await patch();
    this.set(storeId, zone, sent, Date.now());
    return zone;
  }
}

/** Play one story (a scenario) in its own context: its hops take their send window from it. */
export function playStory(fn) {
  return story.run({ since: null, noted: false }, fn);
}

/**
 * Every exported row's `day` against the day its `at` shows in the zone it must be filed in:
 * its poster's store's zone at that instant, else the deployment's.
 */
export function checkExportDays(exported, posterStore, zones) {
  const mismatches = [];
  let unsure = 0;
  let wrong = 0;
  const byDayZone = new Map();
  for (const r of exported) {
    const store = r.poster_id ? (posterStore.get(r.poster_id) ?? null) : null;
    const zone = zones.zoneAt(store, r.at);
    if (zone === null) {
      unsure++;
      continue;
    }
    const want = zonedDay(r.at, zone);
    const k = `${zone} ${r.day}`;
    byDayZone.set(k, (byDayZone.get(k) ?? 0) + 1);
    if (r.day !== want) {
      wrong++;
      if (mismatches.length < 20)
        mismatches.push(`export ${r.event_id}: day ${r.day}, at ${r.at} is ${want} in ${zone}`);
    }
  }
  if (wrong > mismatches.length)
    mismatches.push(`export: ${wrong - mismatches.length} more rows on the wrong day`);
  const lines = [...byDayZone].sort().map(([k, n]) => `${k.padEnd(34)} ${String(n).padStart(9)}`);
  return { mismatches, unsure, lines };
}
