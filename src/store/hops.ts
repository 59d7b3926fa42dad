/**
 * Recording hops: one interface for every step of the funnel. On the request path a hop row is
 * built synchronously (cheap) and handed to the hop outbox (store/hop-outbox.ts), which sends
 * the rows of concurrent requests to the `HOPS` queue together, so the response never waits
 * for the queue or D1; the consumer writes them (store/hop-ingest.ts). Without a queue
 * binding, hops are written directly, in `waitUntil`.
 */
import { customAlphabet } from "nanoid";
import type { BridgeConfig } from "../config";
import { sha256HexSync } from "../core/hash";
import type { HopName, HopRow, SubjectKind } from "../core/hop-row";
import type { Env } from "../env";
import { persistHops } from "./hop-ingest";
import { sendHopsTogether } from "./hop-outbox";

// The row shape is pure data (core/), shared with the webhook events; re-exported for callers.
export {
  HOP_NAMES,
  type HopName,
  type HopRow,
  type SubjectKind,
} from "../core/hop-row";

/** What a route says about a hop; the writer adds time, id and request facts. */
export interface HopInput {
  kind: SubjectKind;
  subject_id: string;
  hop: HopName;
  store_id?: string | null;
  campaign_id?: string | null;
  poster_id?: string | null;
  session_id?: string | null;
  /** When the subject was created (unix ms), for `ms_since_created`. */
  created_at?: number | null;
  platform?: string | null;
  in_app?: string | null;
  bot?: boolean;
  detail?: Record<string, unknown> | null;
  /** A deterministic id makes the hop idempotent (INSERT OR IGNORE); default: random. */
  event_id?: string;
}

/** The part of an execution context the writer needs (Hono's and workerd's both fit). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * A queue message of hops: `{t: "hops", rows}` (what the outbox sends: the rows of one flush,
 * so the queue and its consumer handle one message where there were dozens), or the single-row
 * `{t: "hop", row}` of earlier versions, still accepted.
 */
export type HopMessage = { t: "hops"; rows: HopRow[] } | { t: "hop"; row: HopRow };

/**
 * The rows a hop message carries.
 *
 * @example
 * const rows = hopMessageRows(msg.body); // HopRow[]
 */
export function hopMessageRows(body: HopMessage): HopRow[] {
  return body.t === "hops" ? body.rows : [body.row];
}

const eventTail = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 11);

/**
 * An event id that sorts by time: the unix ms in 9 base36 characters, then 11 random ones. SQLite
 * (D1) keeps every index as a B-tree: a random key lands on a random leaf page, so once the index
 * outgrows the page cache every insert rewrites a page of its own, while a key that grows with
 * time lands on the last page. `npm run bench -- ingest`: with random ids a row went from ~35 to
 * ~90 µs as the table grew to 200,000 rows; with these it stayed at ~35–45 µs.
 */
function eventId(now: number): string {
  return Math.floor(now).toString(36).padStart(9, "0") + eventTail();
}

/** What a request says about every hop it records: read once, however many hops it records. */
interface RequestFacts {
  country: string | null;
  colo: string | null;
  referrerHost: string | null;
  ip: string | null;
  /** The last IP hash computed, by its input (the day may turn between two hops). */
  hash: { input: string; value: string } | null;
}
const requestFacts = new WeakMap<Request, RequestFacts>();

function factsOf(request: Request): RequestFacts {
  const known = requestFacts.get(request);
  if (known) return known;
  const cf = (request as { cf?: { country?: string; colo?: string } }).cf;
  let referrerHost: string | null = null;
  const referer = request.headers.get("referer");
  if (referer) {
    try {
      referrerHost = new URL(referer).host || null;
    } catch {
      referrerHost = null;
    }
  }
  const facts: RequestFacts = {
    country: cf?.country ?? null,
    colo: cf?.colo ?? null,
    referrerHost,
    ip: request.headers.get("cf-connecting-ip"),
    hash: null,
  };
  requestFacts.set(request, facts);
  return facts;
}

function ipHash(facts: RequestFacts, input: string): string {
  if (facts.hash?.input !== input) facts.hash = { input, value: sha256HexSync(input).slice(0, 16) };
  return facts.hash.value;
}

/**
 * Build a hop row from what the route knows and what the request says (country, colo,
 * referrer host, hashed IP). The IP hash is salted and rotates daily: it counts unique
 * scanners within a day and cannot be joined across days or reversed to an address.
 * Synchronous (the hash is computed in JavaScript), so recording a hop needs no promise.
 *
 * @example
 * const row = buildHop({ kind: "poster", subject_id: id, hop: "scanned" }, request, config.ipSalt);
 */
export function buildHop(
  input: HopInput,
  request: Request | null,
  ipSalt: string,
  now = Date.now(),
): HopRow {
  const day = utcDay(now);
  const facts = request ? factsOf(request) : null;
  const detail = input.detail ? JSON.stringify(input.detail).slice(0, 2000) : null;
  return {
    event_id: input.event_id ?? eventId(now),
    at: now,
    day,
    kind: input.kind,
    subject_id: input.subject_id,
    hop: input.hop,
    store_id: input.store_id ?? null,
    campaign_id: input.campaign_id ?? null,
    poster_id: input.poster_id ?? null,
    session_id: input.session_id ?? null,
    platform: input.platform ?? null,
    in_app: input.in_app ?? null,
    country: facts?.country ?? null,
    colo: facts?.colo ?? null,
    referrer_host: facts?.referrerHost ?? null,
    ip_hash: facts?.ip ? ipHash(facts, `${ipSalt}:${day}:${facts.ip}`) : null,
    bot: input.bot ? 1 : 0,
    ms_since_created: input.created_at ? Math.max(0, now - input.created_at) : null,
    detail,
  };
}

// The UTC day of the last hop: toISOString formats a whole timestamp through printf, and every
// hop of a day has the same day.
let lastDay = { from: 0, to: 0, day: "" };

function utcDay(now: number): string {
  if (now < lastDay.from || now >= lastDay.to) {
    const from = now - (((now % 86_400_000) + 86_400_000) % 86_400_000);
    lastDay = { from, to: from + 86_400_000, day: new Date(from).toISOString().slice(0, 10) };
  }
  return lastDay.day;
}

// Without a queue, hops one request records in the same tick are written together: one D1
// batch instead of one per hop (a scan records two or three back to back).
const pending = new WeakMap<WaitUntil, HopRow[]>();

/**
 * Record a hop off the response path. With a `HOPS` queue the row is built at once and handed
 * to the isolate's hop outbox (store/hop-outbox.ts), which sends the hops of concurrent
 * requests together: nothing more happens in this request. Without a queue, the hops this
 * request records in the same tick are written directly (with rollups and webhooks, see
 * `persistHops` in store/hop-ingest.ts) inside `ctx.waitUntil`. Never throws into the
 * request. Does nothing when logging is off (`QB_HOPS=off`).
 *
 * @example
 * recordHop({ env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw },
 *           { kind: "handoff", subject_id: id, hop: "scanned", platform: "ios" });
 */
export function recordHop(
  scope: { env: Env; ctx: WaitUntil; config: BridgeConfig; request: Request | null },
  input: HopInput,
): void {
  if (scope.config.hops === false) return;
  let row: HopRow;
  try {
    row = buildHop(input, scope.request, scope.config.ipSalt);
  } catch (err) {
    console.error("qrbridge: could not build hop", err);
    return;
  }
  if (scope.env.HOPS) {
    sendHopsTogether(scope.env.HOPS, scope.ctx, [row]);
    return;
  }
  const joined = pending.get(scope.ctx);
  if (joined) {
    joined.push(row);
    return;
  }
  const rows = [row];
  pending.set(scope.ctx, rows);
  const work = (async () => {
    await Promise.resolve(); // let the hops recorded right after this one join
    pending.delete(scope.ctx);
    await persistHops(scope.env, scope.config.keyring, rows);
  })().catch((err) => console.error("qrbridge: could not record hops", err));
  scope.ctx.waitUntil(work);
}
