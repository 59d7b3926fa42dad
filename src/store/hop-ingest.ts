/**
 * The hop write path into D1, shared by the queue consumer and the direct fallback: rows are
 * inserted idempotently (by `event_id`) in one transaction per batch, the `hops_rollup` trigger
 * (migrations/0006) counts them into the daily rollups, and subscribed events become webhook
 * deliveries. See docs/storage.md.
 */
import { HOP_COLUMNS, type HopRow } from "../core/hop-row";
import type { Keyring } from "../core/token";
import type { Env } from "../env";
import { dispatchDeliveries } from "./webhook-delivery";
import {
  deliveriesStatement,
  pendingEvents,
  subscriptionsFrom,
  subscriptionsStatement,
} from "./webhook-fanout";

const COLUMNS = HOP_COLUMNS;

// Rows travel as one JSON parameter of arrays in column order: D1's limit of 100 bound
// parameters never applies. Each row is turned into SQLite's binary JSON once (the
// MATERIALIZED view), so reading its 19 columns (`j ->> i`) walks a blob instead of parsing
// the row's text 19 times: 23.8 → 19.5 µs a row in workerd (ad-hoc Miniflare run, 2,000-row
// batches, this schema). The `hops_rollup` trigger (migrations/0006) counts each inserted row.
const BULK_INSERT_SQL = `INSERT OR IGNORE INTO hops (${COLUMNS.join(", ")})
WITH r AS MATERIALIZED (SELECT jsonb(value) AS j FROM json_each(?))
SELECT ${COLUMNS.map((_, i) => `j ->> ${i}`).join(", ")} FROM r`;

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
