/**
 * The hop writer: one interface for every step of the funnel. On the request path a hop is
 * built (cheap) and handed to the `HOPS` queue inside `ctx.waitUntil`, so the response never
 * waits for D1; the queue consumer writes batches. Without a queue binding, hops are inserted
 * directly, still in `waitUntil`.
 */
import { customAlphabet } from "nanoid";
import type { BridgeConfig } from "../config";
import { sha256HexSync } from "../core/hash";
import { HOP_COLUMNS, type HopName, type HopRow, type SubjectKind } from "../core/hop-row";
import type { Keyring } from "../core/token";
import type { Env } from "../env";
import { sendHopsTogether } from "./hop-outbox";
import { dispatchDeliveries } from "./webhook-delivery";
import {
  deliveriesStatement,
  pendingEvents,
  subscriptionsFrom,
  subscriptionsStatement,
} from "./webhook-fanout";

// The row shape is pure data (core/), shared with the webhook events; re-exported for callers.
export {
  HOP_COLUMNS,
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

const eventId = customAlphabet("0123456789abcdefghijklmnopqrstuvwxyz", 20);

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
  const day = new Date(now).toISOString().slice(0, 10);
  const facts = request ? factsOf(request) : null;
  const detail = input.detail ? JSON.stringify(input.detail).slice(0, 2000) : null;
  return {
    event_id: input.event_id ?? eventId(),
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

const COLUMNS = HOP_COLUMNS;

// Rows travel as one JSON parameter of arrays in column order (`value ->> i`): D1's limit of
// 100 bound parameters never applies, and SQLite reads an array element without re-parsing
// the row per column. The `hops_rollup` trigger (migrations/0006) counts each inserted row.
const BULK_INSERT_SQL = `INSERT OR IGNORE INTO hops (${COLUMNS.join(", ")})
SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?)`;

/** Rows per insert statement, and the JSON one statement carries at most (D1 caps a value at 2 MB). */
const ROWS_PER_STATEMENT = 1_000;
const MAX_STATEMENT_JSON = 1_000_000;

/**
 * Insert statements for many rows (idempotent on `event_id`; rollups are counted by the
 * table's trigger): as few as the size limits allow, each with one JSON parameter. Only the
 * known columns are written, so a row carrying extra fields cannot smuggle anything in.
 *
 * @example
 * await db.batch(insertHopsStatements(db, rows));
 */
export function insertHopsStatements(
  db: D1Database,
  rows: readonly HopRow[],
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  let parts: string[] = [];
  let size = 1; // length of the JSON so far: "[" plus each part with the "," or "]" after it
  const flush = () => {
    if (parts.length === 0) return;
    statements.push(db.prepare(BULK_INSERT_SQL).bind(`[${parts.join(",")}]`));
    parts = [];
    size = 1;
  };
  for (const row of rows) {
    const json = JSON.stringify(COLUMNS.map((c) => row[c] ?? null));
    if (parts.length >= ROWS_PER_STATEMENT || size + json.length + 1 > MAX_STATEMENT_JSON) flush();
    parts.push(json);
    size += json.length + 1;
  }
  flush();
  return statements;
}

/** What one ingest created besides the rows: the ids of new webhook deliveries, to dispatch. */
export interface IngestResult {
  deliveries: string[];
}

/**
 * Write hop rows the way every path must: ONE `DB.batch()` (one transaction) that inserts the
 * rows, ignoring event ids already there; the table's trigger adds exactly the inserted rows
 * to the daily rollups in the same transaction. The same batch reads which event types webhook
 * endpoints want; only when some row is wanted does a second statement create deliveries
 * (idempotent per endpoint and event, so a retry after a failure there creates each once).
 * Replaying the same rows changes nothing. Throws when D1 fails (the caller retries the batch).
 *
 * @example
 * const { deliveries } = await ingestHops(env.DB, rows);
 */
export async function ingestHops(
  db: D1Database,
  rows: readonly HopRow[],
  now = Date.now(),
): Promise<IngestResult> {
  const result: IngestResult = { deliveries: [] };
  if (rows.length === 0) return result;
  const [subs] = await db.batch<{ events: unknown }>([
    subscriptionsStatement(db),
    ...insertHopsStatements(db, rows),
  ]);
  const events = pendingEvents(rows, subscriptionsFrom(subs?.results ?? []));
  if (events.length > 0) {
    const { results } = await deliveriesStatement(db, events, now).all<{ id: string }>();
    for (const d of results) result.deliveries.push(d.id);
  }
  return result;
}

/**
 * The one write path shared by the queue consumer and the direct fallback: ingest, then hand
 * the new webhook deliveries on (queue, or direct send). A lost hand-off is not a lost event:
 * the delivery rows exist and the cron re-dispatches stale ones.
 *
 * @example
 * await persistHops(env, config.keyring, rows);
 */
export async function persistHops(
  env: Env,
  ring: Keyring | undefined,
  rows: HopRow[],
): Promise<IngestResult> {
  const result = await ingestHops(env.DB, rows);
  try {
    await dispatchDeliveries(env, ring, result.deliveries);
  } catch (err) {
    console.error("qrbridge: could not dispatch webhook deliveries (the cron will)", err);
  }
  return result;
}

// Without a queue, hops one request records in the same tick are written together: one D1
// batch instead of one per hop (a scan records two or three back to back).
const pending = new WeakMap<WaitUntil, HopRow[]>();

/**
 * Record a hop off the response path. With a `HOPS` queue the row is built at once and handed
 * to the isolate's hop outbox (store/hop-outbox.ts), which sends the hops of concurrent
 * requests together: nothing more happens in this request. Without a queue, the hops this
 * request records in the same tick are written directly (with rollups and webhooks, see
 * {@link persistHops}) inside `ctx.waitUntil`. Never throws into the request. Does nothing
 * when logging is off (`QB_HOPS=off`).
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
