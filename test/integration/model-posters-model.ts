// The model of test/integration/model-posters.test.ts: what docs/posters.md promises a scan, a
// resolve and an event answer and record, from the posters' and stores' state as the API left
// it. Pure: the runner (model-posters-run.ts) sends the requests and compares.
import { zonedDay } from "../../src/core/time-zone";

export type Status = "active" | "paused" | "revoked";
export type State = "live" | "paused" | "revoked" | "not_started" | "ended";

export interface MStore {
  id: string;
  name: string;
  zone: string | null;
  deleted: boolean;
}

export interface MPoster {
  id: string;
  code: string;
  url: string;
  path: string;
  params: Record<string, string>;
  store: number | null;
  campaign: string | null;
  status: Status;
  from: number | null;
  until: number | null;
  deleted: boolean;
  /** Bumped by every change that is made (PATCH, DELETE). */
  version: number;
}

/** A session the Worker handed out: on a landing page (`page`) or by a resolve (`direct`). */
export interface MSession {
  token: string;
  poster: number;
  /** Started by a caller classified as a bot: its events count as no person's. */
  bot: boolean;
  /** Unix seconds (the token's expiry). */
  expiresAt: number;
}

/** A hop as the end-of-run check compares it; `once` names a once-only id (first one wins). */
export interface MHop {
  hop: string;
  subject: string;
  store: string | null;
  campaign: string | null;
  bot: 0 | 1;
  day: string;
  country: string | null;
  reason?: string;
  once?: string;
}

/** The reporting zone of the test Worker (QB_REPORTING_TIME_ZONE unset). */
export const DEPLOYMENT_ZONE = "UTC";

/** docs/posters.md, step 3: revoked before paused before the window; `from` inclusive, `until` exclusive. */
export function stateOf(p: MPoster, now: number): State {
  if (p.deleted || p.status === "revoked") return "revoked";
  if (p.status === "paused") return "paused";
  if (p.from !== null && now < p.from) return "not_started";
  if (p.until !== null && now >= p.until) return "ended";
  return "live";
}

/** The world a run drives: stores, posters, the campaign ids seen, the sessions, the hops due. */
export class Model {
  sessions: MSession[] = [];
  hops: MHop[] = [];
  campaignIds = new Map<string, string>();

  constructor(
    readonly stores: MStore[],
    readonly posters: MPoster[],
  ) {}

  storeOf(p: MPoster): MStore | null {
    return p.store === null ? null : this.stores[p.store]!;
  }

  storeName(p: MPoster): string | null {
    return this.storeOf(p)?.name ?? null;
  }

  campaignId(p: MPoster): string | null {
    return p.campaign === null ? null : (this.campaignIds.get(p.campaign) ?? null);
  }

  /** A hop of poster `i` at `now`: attributed to its store, campaign and store's day now. */
  hop(i: number, now: number, hop: string, bot: boolean, extra: Partial<MHop> = {}): void {
    const p = this.posters[i]!;
    const zone = this.storeOf(p)?.zone ?? DEPLOYMENT_ZONE;
    this.hops.push({
      hop,
      subject: p.id,
      store: this.storeOf(p)?.id ?? null,
      campaign: this.campaignId(p),
      bot: bot ? 1 : 0,
      day: zonedDay(now, zone),
      country: null,
      ...extra,
    });
  }

  /** The session a link's `s=` names for poster `i`: current, this poster's, no bot's. */
  reusable(s: MSession | null, i: number, now: number): boolean {
    return s !== null && s.poster === i && !s.bot && s.expiresAt > Math.floor(now / 1000);
  }

  /**
   * `GET /p/:code` (or `HEAD`): what it answers and records. A person's new visit is a session
   * (the runner reads its token off the page and calls {@link addSession}).
   */
  scan(
    i: number,
    now: number,
    person: boolean,
    link: MSession | null,
    country: string | null,
  ): { status: 200 | 410; session: "new" | "reused" | "none" } {
    const state = stateOf(this.posters[i]!, now);
    if (state !== "live") {
      this.hop(i, now, "rejected", !person, { reason: state, country });
      return { status: 410, session: "none" };
    }
    if (!person) {
      this.hop(i, now, "previewed", true, { country });
      return { status: 200, session: "none" };
    }
    if (this.reusable(link, i, now)) return { status: 200, session: "reused" };
    this.hop(i, now, "scanned", false, { country });
    this.hop(i, now, "landing", false, { country });
    return { status: 200, session: "new" };
  }

  addSession(token: string, poster: number, bot: boolean, now: number): number {
    const expiresAt = Math.floor(now / 1000) + 7 * 86_400;
    this.sessions.push({ token, poster, bot, expiresAt });
    return this.sessions.length - 1;
  }

  /**
   * `POST /v1/resolve` of poster `i`'s link, bare or carrying session `link` (which may be
   * another poster's: `400`). A fresh session's index is `fresh` in the answer once the runner
   * has added it; its hops are recorded by {@link resolvedFresh}.
   */
  resolve(
    i: number,
    now: number,
    botCaller: boolean,
    link: MSession | null,
  ): { status: 200 | 400 | 410; reason?: State; fresh?: boolean; session?: number } {
    const state = stateOf(this.posters[i]!, now);
    if (state !== "live") {
      this.hop(i, now, "rejected", botCaller, { reason: state });
      return { status: 410, reason: state };
    }
    const current = link !== null && link.expiresAt > Math.floor(now / 1000);
    if (current && link.poster !== i) return { status: 400 };
    if (current) {
      const s = this.sessions.indexOf(link);
      this.appOpen(s, now, botCaller);
      return { status: 200, fresh: false, session: s };
    }
    return { status: 200, fresh: true };
  }

  /**
   * `POST /v1/resolve` with the Play install referrer of session `s`: the session's poster, as its
   * link would resolve, but an expired session is `410 expired` (no hop).
   */
  referrer(s: number, now: number, botCaller: boolean): { status: 200 | 410; reason?: string } {
    const session = this.sessions[s]!;
    if (session.expiresAt <= Math.floor(now / 1000)) return { status: 410, reason: "expired" };
    const state = stateOf(this.posters[session.poster]!, now);
    if (state !== "live") {
      this.hop(session.poster, now, "rejected", botCaller, { reason: state });
      return { status: 410, reason: state };
    }
    this.appOpen(s, now, botCaller);
    return { status: 200 };
  }

  /** The hops of a resolve that started session `s` (`direct`). */
  resolvedFresh(s: number, now: number, botCaller: boolean): void {
    if (!botCaller) this.hop(this.sessions[s]!.poster, now, "scanned", false);
    this.appOpen(s, now, botCaller);
  }

  private appOpen(s: number, now: number, botCaller: boolean): void {
    const session = this.sessions[s]!;
    const bot = session.bot || botCaller;
    const once = `${session.token}:${bot ? "previewed:" : ""}app_open`;
    this.hop(session.poster, now, bot ? "previewed" : "app_open", bot, { once });
  }

  /** `POST /v1/events` with session `s`: `202` while it is current, attributed to the poster now. */
  event(s: number, type: string, now: number, botCaller: boolean): 202 | 410 {
    const session = this.sessions[s]!;
    if (session.expiresAt <= Math.floor(now / 1000)) return 410;
    const bot = session.bot || botCaller;
    const once = `${session.token}:${bot ? "previewed:" : ""}${type}`;
    this.hop(session.poster, now, bot ? "previewed" : type, bot, { once });
    return 202;
  }
}

/** Hops as a sorted list of comparable strings, each once-only id counted once (the first). */
export function hopMultiset(hops: MHop[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const h of hops) {
    if (h.once !== undefined) {
      if (seen.has(h.once)) continue;
      seen.add(h.once);
    }
    const { once: _once, ...rest } = h;
    out.push(JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
  }
  return out.sort();
}
