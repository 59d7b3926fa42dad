/**
 * Recording hops: one interface for every step of the funnel. A route describes a hop; the row
 * is built at once, and the hops a request records leave the isolate together, inside that
 * request's own `waitUntil` — never held for another request:
 *
 * 1. for a person's scan, the client IP is hashed with the salt of its day in the reporting time
 *    zone (store/hop-salt.ts) and then forgotten (no other hop carries an IP hash);
 * 2. the rows go to the `HOPS` queue (one of its shards) as one message, retried with backoff
 *    when the queue refuses (e.g. over its 5,000 messages/s);
 * 3. if the queue keeps refusing, they are spooled to R2 (`spool/…`, ingested by the cron);
 *    without a queue, or without R2, they are written directly (store/hop-ingest.ts);
 * 4. only if every way fails are they shed, and the count is logged.
 *
 * A route whose answer promises the count (`POST /v1/events`: the caller is told "accepted" and
 * will not send it again) delivers with {@link deliverHopsNow} instead, and answers only once one
 * of those ways holds the rows. Every other route records in `waitUntil`: a person's page (a
 * poster scan, a landing page, a resolve) must never wait on the log, nor fail because of it.
 *
 * The queue consumer counts them into the rollups (store/queues.ts → hop-ingest.ts).
 */
import type { BridgeConfig } from "../config";
import { canonicalIp } from "../core/client-ip";
import type { HopInput, RequestFacts } from "../core/hop-input";
import { boundDetail, boundHopRow, type HopRow } from "../core/hop-row";
import { zonedDay } from "../core/time-zone";
import type { Env } from "../env";
import { backgroundWork } from "./background";
import { newHopId } from "./hop-ids";
import { daySalt, hashIp } from "./hop-salt";

export type { HopInput, RequestFacts } from "../core/hop-input";
export { HOP_NAMES, type HopName, type HopRow, type SubjectKind } from "../core/hop-row";

/** The part of an execution context the writer needs (Hono's and workerd's both fit). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/** A queue message (or spool object) of hops: the rows one request recorded. */
export interface HopMessage {
  t: "hops";
  /**
   * The writer's id of these rows. Every copy of them carries it — a send retried after one
   * whose answer was lost, the spool, a direct write — so they count once, whichever arrives.
   */
  id?: string;
  /** Set on a copy sent after an attempt that failed, but may have delivered the rows all the same. */
  again?: true;
  rows: HopRow[];
}

/** Where a hop is recorded from: the bindings, the request (if any) and its `waitUntil`. */
export interface HopScope {
  env: Env;
  ctx: WaitUntil;
  config: BridgeConfig;
  request: Request | null;
}

/**
 * Build a hop row from what the route knows and what the request says (country, colo,
 * referrer host), every field within its bound. Its `day` is the day of its `at` in its poster's
 * store's time zone (`input.time_zone`) when it has one, else in the reporting time zone
 * (`config.reportingTimeZone`). The IP hash is added when the row is sent.
 *
 * @example
 * const row = buildHop({ kind: "poster", subject_id: id, hop: "scanned" }, request, Date.now(), "Asia/Tokyo");
 */
export function buildHop(
  input: HopInput,
  request: Request | null,
  now = Date.now(),
  timeZone = "UTC",
): HopRow {
  const at = input.at ?? now;
  const facts = input.request_facts ?? requestFacts(request);
  return boundHopRow({
    event_id: input.event_id ?? newHopId(now),
    at,
    day: zonedDay(at, input.time_zone ?? timeZone),
    kind: input.kind,
    subject_id: input.subject_id,
    hop: input.hop,
    store_id: input.store_id ?? null,
    campaign_id: input.campaign_id ?? null,
    poster_id: input.poster_id ?? null,
    session_id: input.session_id ?? null,
    platform: input.platform ?? null,
    in_app: input.in_app ?? null,
    ...facts,
    ip_hash: null,
    bot: input.bot ? 1 : 0,
    ms_since_created: input.created_at ? Math.max(0, at - input.created_at) : null,
    detail: boundDetail(input.detail),
  });
}

/**
 * What a hop row takes from `request`: its country and colo (`request.cf`) and Referer host.
 *
 * @example
 * const facts = requestFacts(c.req.raw); // { country: "FR", colo: "CDG", referrer_host: null }
 */
export function requestFacts(request: Request | null): RequestFacts {
  const cf = (request as { cf?: { country?: unknown; colo?: unknown } } | null)?.cf;
  return {
    country: typeof cf?.country === "string" ? cf.country : null,
    colo: typeof cf?.colo === "string" ? cf.colo : null,
    referrer_host: request ? referrerHost(request) : null,
  };
}

function referrerHost(request: Request): string | null {
  const referer = request.headers.get("referer");
  if (!referer) return null;
  try {
    return new URL(referer).host || null;
  } catch {
    return null;
  }
}

interface Pending {
  rows: HopRow[];
  ip: string | null;
}
// Keyed by the request itself (by the context only where there is none, an alarm): a host
// Worker may hand one execution context to several requests, whose hops (and client IPs)
// must never travel together.
const pendingByRequest = new WeakMap<object, Pending>();

/**
 * Record a hop. The hops a request records in one turn leave together, in its `waitUntil`
 * (see the module comment); nothing waits on them and nothing throws into the request. Does
 * nothing when logging is off (`QB_HOPS=off`).
 *
 * @example
 * recordHop({ env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw },
 *           { kind: "handoff", subject_id: id, hop: "scanned", platform: "ios" });
 */
export function recordHop(scope: HopScope, input: HopInput): void {
  if (!scope.config.hops) return;
  let row: HopRow;
  try {
    row = buildHop(input, scope.request, Date.now(), scope.config.reportingTimeZone);
  } catch (err) {
    console.error("qrbridge: could not build hop", err);
    return;
  }
  const owner = scope.request ?? scope.ctx;
  const joined = pendingByRequest.get(owner);
  if (joined) {
    joined.rows.push(row);
    return;
  }
  const pending: Pending = {
    rows: [row],
    ip: scope.request?.headers.get("cf-connecting-ip") ?? null,
  };
  pendingByRequest.set(owner, pending);
  scope.ctx.waitUntil(
    (async () => {
      await Promise.resolve(); // the hops this request records right after join this one
      pendingByRequest.delete(owner);
      await sendHops(scope.env, scope.config, pending);
    })().catch((err) => console.error("qrbridge: could not record hops", err)),
  );
}

/**
 * Deliver a request's hops now, outside `waitUntil`: resolves `true` once the queue, the R2
 * spool or a direct write holds them (or when logging is off: there is nothing to hold), `false`
 * when every way failed and they were shed. Only for an answer that promises the count and that
 * the caller can ask for again (an API call with a once-only event id): a person's page records
 * with {@link recordHop} and never waits on the log. These rows travel on their own, never
 * joined to the request's other hops; a scan among them still gets the IP hash.
 *
 * @example
 * if (!(await deliverHopsNow(hopScope(c), [input]))) throw new ApiError("unavailable", "…");
 */
export async function deliverHopsNow(scope: HopScope, inputs: HopInput[]): Promise<boolean> {
  if (!scope.config.hops || inputs.length === 0) return true;
  const now = Date.now();
  const zone = scope.config.reportingTimeZone;
  const rows = inputs.map((input) => buildHop(input, scope.request, now, zone));
  const ip = scope.request?.headers.get("cf-connecting-ip") ?? null;
  return sendHops(scope.env, scope.config, { rows, ip });
}

async function sendHops(env: Env, config: BridgeConfig, pending: Pending): Promise<boolean> {
  const rows = pending.rows;
  // Only a person's scan needs the hash (unique scanners); no other hop carries it. Each with
  // the salt of its own day (scans of posters in stores of two zones may be on two days).
  const scans = rows.filter((r) => r.hop === "scanned" && !r.bot);
  if (pending.ip && scans.length > 0) {
    try {
      // One person, one hash, however the address is spelt (`::ffff:a.b.c.d` is `a.b.c.d`).
      const ip = canonicalIp(pending.ip);
      const days = [...new Set(scans.map((r) => r.day))];
      const hashes = new Map(
        await Promise.all(
          days.map(async (d) => [d, await hashIp(await daySalt(env.DB, d), ip)] as const),
        ),
      );
      for (const row of scans) row.ip_hash = hashes.get(row.day)!;
    } catch (err) {
      // Without the salt the hops still count; only this scanner is missing from the uniques.
      console.error("qrbridge: no IP salt for today; scan recorded without IP hash", err);
    }
  }
  return deliverHops(env, config, rows);
}

/** Sends of one message before falling back, and the pause before each retry (ms). */
export const QUEUE_RETRY_DELAYS_MS = [50, 250] as const;

/**
 * Hand rows to the store: the queue (with retries), else the R2 spool, else a direct write;
 * without a queue, a direct write first. Resolves `true` once one of them holds the rows, or
 * `false` after logging them as shed (never throws). A failed attempt may have delivered the rows all the same (its answer
 * was lost), so every copy carries the same id and each after the first is marked `again`:
 * the store counts one of them (store/hop-ingest.ts).
 *
 * @example
 * const held = await deliverHops(env, config, rows); // false: shed, and logged
 */
export async function deliverHops(
  env: Env,
  config: BridgeConfig,
  rows: HopRow[],
  now = Date.now(),
): Promise<boolean> {
  const queue = hopQueue(env, config.hopQueueShards);
  const id = newHopId(now);
  const message = (again: boolean): HopMessage =>
    again ? { t: "hops", id, again: true, rows } : { t: "hops", id, rows };
  const ways: [string, (again: boolean) => Promise<unknown>][] = [];
  if (queue) ways.push(["queue", (again) => sendWithRetry(queue, message, again)]);
  // Counted here, by the background work's module (store/background.ts): only when there is no
  // queue, or the queue and the spool both failed.
  const direct = async (again: boolean) =>
    (await backgroundWork()).ingestHops(env, config, [
      { id, sentAt: now, again, resent: again, rows },
    ]);
  if (!queue) ways.push(["direct", direct]);
  const bucket = env.HOP_ARCHIVE;
  if (bucket) ways.push(["spool", (again) => spool(bucket, message(again))]);
  if (queue) ways.push(["direct", direct]);
  for (const [i, [name, send]] of ways.entries()) {
    try {
      await send(i > 0);
      if (i > 0) console.warn(`qrbridge: ${rows.length} hop(s) went by ${name}`);
      return true;
    } catch (err) {
      console.error(`qrbridge: could not send ${rows.length} hop(s) by ${name}`, err);
    }
  }
  console.error(`qrbridge: shed ${rows.length} hop(s): no queue, spool or database took them`);
  return false;
}

async function sendWithRetry(
  queue: Queue<unknown>,
  message: (again: boolean) => HopMessage,
  again: boolean,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await queue.send(message(again || attempt > 0));
      return;
    } catch (err) {
      const delay = QUEUE_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Where spooled hops wait in R2 for the cron (store/maintenance.ts). */
export const SPOOL_PREFIX = "spool/";

async function spool(bucket: R2Bucket, message: HopMessage): Promise<void> {
  await bucket.put(`${SPOOL_PREFIX}${message.id}.json`, JSON.stringify(message));
}

// Each isolate sends to one shard, picked once, so shards share the load across isolates.
const shardPick = Math.random();

/**
 * The hop queue this isolate sends to: `HOPS` with one shard; with N shards one of `HOPS`,
 * `HOPS_2` … `HOPS_N` (falling back to `HOPS` when that binding is missing).
 *
 * @example
 * const queue = hopQueue(env, config.hopQueueShards);
 */
export function hopQueue(env: Env, shards: number): Queue<unknown> | undefined {
  const index = Math.floor(shardPick * shards) + 1;
  const name = index === 1 ? "HOPS" : `HOPS_${index}`;
  return (env as unknown as Record<string, Queue<unknown> | undefined>)[name] ?? env.HOPS;
}
