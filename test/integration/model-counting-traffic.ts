// Random traffic for the model-based counting test (model-counting.test.ts): a day or three of
// poster sessions and handoffs at stores in different time zones, as the writer builds their
// rows, grouped into the requests that sent them; the stores made through the API. Everything
// comes from one seed (mulberry32), so a failing run replays exactly.
import type { HopRow } from "../../src/core/hop-row";
import { zonedDay } from "../../src/core/time-zone";
import { buildHop, type HopInput } from "../../src/store/hops";
import { call } from "./helpers";
import { fakeIpHash } from "./hop-helpers";
import { makeStore, posterKey } from "./poster-helpers";

/** A seeded source of randomness. */
export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(items: readonly T[]): T[];
}

export function rng(seed: number): Rng {
  let s = seed | 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (p) => next() < p,
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}

/** A store of the run: its id (made through the API) and its zone (null: the deployment's, UTC). */
export interface RunStore {
  id: string;
  zone: string | null;
  /** A change of the store's zone: hops from `at` on count on the days of `zone`. */
  change?: { at: number; zone: string | null };
  campaigns: string[];
  posters: { id: string; campaign: string }[];
}

/** What one request sent: the writer's id (every copy carries it) and its rows. */
export interface SentRequest {
  id: string;
  at: number;
  rows: unknown[];
}

export interface Traffic {
  requests: SentRequest[];
  /** Every good row sent, each copy of a once-only event included. */
  rows: HopRow[];
  /** The one row no store accepts: its request and index (its dead letter is `<id>:<index>`). */
  poison: { request: string; index: number };
}

const ZONES = [null, "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata"];
/** Zones a store may move to mid-run (docs/stats.md, "A change of a store's zone"). */
const NEW_ZONES = [null, "Pacific/Auckland", "America/New_York", "Asia/Tokyo"];
const PLATFORMS = ["ios", "android", "desktop", "other", null] as const;
const IN_APP = [null, null, "wechat", "instagram"] as const;
// Ways into the app an app open may report; `bogus` is not one, so it counts as `other`.
const OPEN_VIAS = ["install_referrer", "smart_banner", "clipboard", "scheme", "bogus"] as const;
const CURRENCIES = ["EUR", "USD", undefined] as const;
const REASONS = ["paused", "revoked", "not_started", "ended"] as const;

/**
 * Random traffic between `start` and `start + spanMs`: `sessions` poster sessions over `stores`,
 * `handoffs` handoffs, scanners drawn from `scanners` people (their IP hash salted by day).
 */
export function makeTraffic(
  r: Rng,
  tag: string,
  stores: readonly RunStore[],
  opts: { start: number; spanMs: number; sessions: number; handoffs: number; scanners: number },
): Traffic {
  const requests: SentRequest[] = [];
  const rows: HopRow[] = [];
  let n = 0;
  const requestId = (at: number) =>
    Math.floor(at).toString(36).padStart(9, "0") + (++n).toString(36).padStart(11, "0");
  const send = (at: number, list: HopRow[]) => {
    requests.push({ id: requestId(at), at, rows: list });
    rows.push(...list);
  };
  const row = (input: HopInput, at: number, zone: string | null, extra: Partial<HopRow> = {}) => {
    const built = buildHop({ ...input, at }, null, at, zone ?? "UTC");
    return { ...built, event_id: `${tag}-${++n}`, colo: r.pick(["NRT", "FRA", "LAX"]), ...extra };
  };
  // The same once-only event from `copies` requests: same row, `at` a moment apart, same day.
  const reported = (first: HopRow, zone: string | null, copies: number) => {
    for (let c = 0; c < copies; c++) {
      const later = first.at + c * r.int(0, 2000);
      const at = zonedDay(later, zone ?? "UTC") === first.day ? later : first.at;
      send(at + 50, [{ ...first, at, colo: r.pick(["NRT", "FRA", "LAX"]) }]);
    }
  };
  const scanner = (at: number, zone: string | null) =>
    fakeIpHash(`${tag}-person-${r.int(1, opts.scanners)}|${zonedDay(at, zone ?? "UTC")}`);
  const when = () => opts.start + r.int(0, opts.spanMs);
  const value = () => {
    const currency = r.pick(CURRENCIES);
    return { value: r.int(1, 99_999) / 100, ...(currency ? { currency } : {}) };
  };

  for (let i = 0; i < opts.sessions; i++) {
    const store = r.pick(stores);
    const poster = r.pick(store.posters);
    const at = when();
    const z = store.change && at >= store.change.at ? store.change.zone : store.zone;
    const facts = {
      kind: "poster" as const,
      subject_id: poster.id,
      store_id: store.id,
      campaign_id: poster.campaign,
      poster_id: poster.id,
      session_id: `${tag}-s${i}`,
      platform: r.pick(PLATFORMS),
      in_app: r.pick(IN_APP),
      time_zone: z,
    };
    if (r.chance(0.06)) {
      const detail = { reason: r.pick(REASONS) };
      send(at, [row({ ...facts, hop: "rejected", detail }, at, z)]);
      continue;
    }
    if (r.chance(0.05)) {
      send(at, [row({ ...facts, hop: "previewed", bot: true }, at, z)]);
      continue;
    }
    const way = r.chance(0.55) ? "page" : r.chance(0.85) ? "app" : "same_device";
    const scan = row({ ...facts, hop: "scanned", detail: { via: way } }, at, z, {
      ip_hash: scanner(at, z),
    });
    const first = [scan];
    if (way !== "app") first.push(row({ ...facts, hop: "landing" }, at + r.int(1, 5), z));
    send(at, first);
    if (r.chance(0.65)) {
      const delay = way === "page" ? r.int(1000, 120_000) : 0;
      const via = way === "page" ? "page" : way === "app" ? "direct" : r.pick(OPEN_VIAS);
      const open = row({ ...facts, hop: "app_open", detail: { via } }, at + delay, z, {
        event_id: `ev_${tag}_open_${i}`,
        ms_since_created: delay,
      });
      reported(open, z, r.int(1, 3));
      if (r.chance(0.45)) {
        const later = at + delay + r.int(1000, 600_000);
        const conv = row({ ...facts, hop: "converted", detail: value() }, later, z, {
          event_id: `ev_${tag}_conv_${i}`,
          ms_since_created: later - at,
        });
        reported(conv, z, r.int(1, 3));
      }
    }
  }

  for (let i = 0; i < opts.handoffs; i++) {
    const at = when();
    const facts = {
      kind: "handoff" as const,
      subject_id: `${tag}-h${i}`,
      platform: r.pick(PLATFORMS),
      in_app: r.pick(IN_APP),
      created_at: at - r.int(1000, 60_000),
    };
    if (r.chance(0.1)) send(at, [row({ ...facts, hop: "previewed", bot: true }, at, null)]);
    const way = r.chance(0.8) ? "page" : "same_device";
    const scan = row({ ...facts, hop: "scanned", detail: { via: way } }, at, null, {
      ip_hash: scanner(at, null),
    });
    send(at, [scan, row({ ...facts, hop: "landing" }, at + 3, null)]);
    if (r.chance(0.05)) {
      // A link previewer that redeems keeps `redeemed`, as a bot: counted nowhere.
      send(at + 5, [row({ ...facts, hop: "redeemed", bot: true }, at + 5, null)]);
      continue;
    }
    if (!r.chance(0.7)) continue;
    const later = at + r.int(2000, 90_000);
    const via = way === "page" ? r.pick(["page", "direct"]) : "same_device";
    const redeem = row({ ...facts, hop: "redeemed", detail: { via } }, later, null, {
      event_id: `ev_${tag}_redeem_${i}`,
    });
    reported(redeem, null, r.int(1, 2));
    // An app open the app reports for a handoff: in the stage's count, in no rate.
    if (r.chance(0.15)) {
      const open = row({ ...facts, hop: "app_open", detail: { via } }, later + 1000, null, {
        event_id: `ev_${tag}_hopen_${i}`,
      });
      reported(open, null, r.int(1, 2));
    }
    if (r.chance(0.3)) {
      const conv = row({ ...facts, hop: "converted", detail: value() }, later + 5000, null, {
        event_id: `ev_${tag}_hconv_${i}`,
      });
      reported(conv, null, r.int(1, 3));
    }
  }

  // A row the store can never accept, riding in some request with good rows.
  const host = r.pick(requests);
  const poisoned = { ...(host.rows[0] as HopRow), event_id: `${tag}-poison`, hop: "teleported" };
  const index = r.int(0, host.rows.length);
  host.rows = [...host.rows.slice(0, index), poisoned, ...host.rows.slice(index)];
  return { requests, rows, poison: { request: host.id, index } };
}

/**
 * The run's stores, made through the API in their zones; in some runs one moves to another zone
 * at `changeAt` (PATCH), and its posters' hops from then on count on the new zone's days.
 */
export async function makeStores(
  r: Rng,
  tag: string,
  n: number,
  changeAt: number,
): Promise<RunStore[]> {
  const campaigns = [`cp_${tag}_a`, `cp_${tag}_b`, `cp_${tag}_c`];
  const out: RunStore[] = [];
  for (const [s, zone] of r.shuffle(ZONES).slice(0, n).entries()) {
    const { id } = await makeStore(`Model ${tag} ${s}`, zone ? { time_zone: zone } : {});
    const posters = [0, 1, 2].map((p) => ({ id: `${tag}P${s}${p}`, campaign: r.pick(campaigns) }));
    out.push({ id, zone, campaigns, posters });
  }
  if (r.chance(0.5)) {
    const store = r.pick(out);
    const zone = r.pick(NEW_ZONES.filter((z) => z !== store.zone));
    const res = await call(`/v1/stores/${store.id}`, {
      method: "PATCH",
      key: await posterKey(),
      json: { time_zone: zone },
    });
    if (res.status !== 200) throw new Error(`store zone: ${res.status} ${await res.text()}`);
    store.change = { at: changeAt, zone };
  }
  return out;
}
