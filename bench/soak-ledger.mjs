// The ground truth of bench/soak.mjs: every hop the traffic script expects the Worker to log,
// written down when the answer that proves it arrives (a 200 of a scan, a 201 of a create, a
// 400 of a forged link), never from what the Worker later counts. From it, what the funnel
// (`GET /v1/stats/funnel`) and the export (`GET /v1/hops`) must say, group by group.
import { StoreZones, story, zonedDay } from "./soak-zones.mjs";

/** Which hop of each kind counts as each funnel stage (docs/stats.md, src/core/funnel.ts). */
const STAGE_OF = {
  poster: { scanned: "scanned", landing: "landing", app_open: "app_open", converted: "converted" },
  handoff: {
    scanned: "scanned",
    landing: "landing",
    app_open: "app_open",
    redeemed: "redeemed",
    converted: "converted",
  },
  login: { scanned: "scanned", approved: "redeemed", exchanged: "converted" },
};

export const STAGES = ["scanned", "landing", "app_open", "redeemed", "converted"];

/** The funnel's `group_by` values the soak checks, and the hop field each one groups by. */
export const GROUPS = {
  day: "day",
  store: "store_id",
  campaign: "campaign_id",
  poster: "poster_id",
  platform: "platform",
  in_app: "in_app",
  source: "kind",
  via: "via",
};

/** Standard error of the unique-scanner sketch (docs/stats.md: 1.6 %). */
const SKETCH_SE = 0.016;

/**
 * Whether a counted number of unique scanners is within the documented bound of the truth:
 * 3 standard errors, and at least 1 (below ~10,000 the sketch is nearly exact).
 *
 * @example
 * withinSketchBound(100, 101) // true
 */
export function withinSketchBound(expected, counted) {
  return Math.abs(counted - expected) <= Math.max(1, Math.ceil(3 * SKETCH_SE * expected));
}

/**
 * The day a hop counts on: the day of the moment the Worker recorded it, which lies between
 * when the first call that may prove it was sent (`since`) and now (for a hop an alarm records
 * later, `late` ms after now), in the zone its poster's
 * store then carried. `maybe` holds every day it may be on when a zone's midnight or a change of
 * the store's zone fell in between (the Worker's instant decides; the funnel's by-day rows are
 * then checked as a range, the export's row by its `at`).
 */
function hopDay(zones, storeId, since, late = 0) {
  const now = Date.now();
  const [from, until] = [since ?? now, now + late];
  const during = zones.zonesDuring(storeId, from, until);
  const days = new Set(during.flatMap((z) => [zonedDay(from, z), zonedDay(until, z)]));
  const zone = during.at(-1);
  const day = zonedDay(late ? until : now, zone);
  return { zone, day, maybe: days.size > 1 ? [...days].sort() : null };
}

/**
 * The expected hops of a soak run.
 *
 * @example
 * const ledger = new Ledger();
 * ledger.hop({ kind: "poster", hop: "scanned", poster_id, platform: "ios", ip: "198.18.0.1" });
 * ledger.funnel("store"); // Map(store id → {scanned, …, uniques:Set})
 */
export class Ledger {
  /** `zones`: the stores' zones over time (bench/soak-zones.mjs); none: every day the deployment's. */
  constructor(zones = new StoreZones()) {
    this.zones = zones;
    /** @type {object[]} */
    this.hops = [];
    this.requests = 0;
    /** Answers the script did not expect: each one is a failure of the run. */
    this.surprises = [];
    /** How many unexpected answers there were in all (the first 50 are kept). */
    this.surprised = 0;
    /** Hops whose zone's midnight, or a change of their store's zone, fell while their call was answered. */
    this.unsure = 0;
  }

  /**
   * Expect one hop. `ip` is the client address of a person's scan (unique scanners);
   * `via` the app_open's way in (`direct` ones are `direct_app_opens`); `late`, ms: the Worker
   * records it up to that long after now (an object's alarm).
   */
  hop(h) {
    const ctx = story.getStore();
    const { zone, day, maybe } = hopDay(this.zones, h.store_id, ctx?.since, h.late);
    if (ctx) ctx.noted = true;
    if (maybe) this.unsure++;
    this.hops.push({
      kind: h.kind,
      hop: h.hop,
      bot: h.bot ? 1 : 0,
      zone,
      day,
      maybe,
      store_id: h.store_id ?? null,
      campaign_id: h.campaign_id ?? null,
      poster_id: h.poster_id ?? null,
      platform: h.platform ?? null,
      in_app: h.in_app ?? null,
      via: h.via ?? null,
      ip: h.hop === "scanned" && !h.bot ? (h.ip ?? null) : null,
    });
  }

  /** Note an answer the script did not expect (a wrong status): the run fails. */
  surprise(what) {
    this.surprised++;
    if (this.surprises.length < 50) this.surprises.push(what);
  }

  /**
   * The funnel the ledger predicts for `group_by`: group value (as the API prints it) → stage
   * counts, `direct_app_opens` and the unique scanners (`day|ip`: the salt is the day's, so a
   * person scanning on two days is one on each). Only people count; groups with no stage at all
   * are left out, as the API leaves them out. `filter` (`{by: "store", value}`) keeps the hops of
   * one store, campaign or source, as the API's filters do. By day, a hop recorded as its zone's
   * midnight passed may be on either day: `extra` counts such hops, a row's count may lie
   * between the stage's and the stage's plus its `extra` (and `maybeUniques` the scanners).
   */
  funnel(groupBy, filter = null) {
    const field = GROUPS[groupBy];
    const out = new Map();
    const rowOf = (key) => {
      let row = out.get(key);
      if (!row) {
        row = Object.fromEntries(STAGES.map((s) => [s, 0]));
        row.direct_app_opens = 0;
        row.extra = Object.fromEntries([...STAGES, "direct_app_opens"].map((s) => [s, 0]));
        row.uniques = new Set();
        row.maybeUniques = new Set();
        out.set(key, row);
      }
      return row;
    };
    for (const h of this.hops) {
      if (h.bot) continue;
      if (filter && h[GROUPS[filter.by]] !== filter.value) continue;
      const stage = STAGE_OF[h.kind]?.[h.hop];
      if (!stage) continue;
      const key = h[field] ?? null;
      // A hop recorded with no way in (landing, converted, a login's approval) is in no `via`
      // group: in the totals only.
      if (groupBy === "via" && key === null) continue;
      const direct = stage === "app_open" && h.via === "direct";
      const scanner = stage === "scanned" && h.ip;
      if (h.maybe) {
        for (const day of h.maybe) {
          const row = rowOf(groupBy === "day" ? day : key);
          if (groupBy === "day") {
            row.extra[stage]++;
            if (direct) row.extra.direct_app_opens++;
          }
          if (scanner) row.maybeUniques.add(`${day}|${h.ip}`);
        }
        if (groupBy === "day") continue;
      }
      const row = rowOf(key);
      row[stage]++;
      if (direct) row.direct_app_opens++;
      if (scanner && !h.maybe) row.uniques.add(`${h.day}|${h.ip}`);
    }
    return out;
  }

  /** Expected export rows counted by kind, hop, bot and platform ("poster/scanned/0/ios"). */
  exportCounts() {
    const out = new Map();
    for (const h of this.hops) {
      const key = exportKey(h);
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }
}

/** How the export comparison files a hop row (the ledger's or the export's). */
export function exportKey(h) {
  return `${h.kind}/${h.hop}/${h.bot ? 1 : 0}/${h.platform ?? "-"}`;
}
