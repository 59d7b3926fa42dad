/**
 * Counting hops, exactly once: the write path shared by the queue consumer, the direct writer
 * (no queue), the spool sweep and dead-letter replay. Input comes as envelopes — a queue
 * message, a spool object, a dead letter — each with an id that a redelivery repeats.
 *
 * 1. Envelopes already counted (a redelivered one whose id is in a recent `hop_batches` row,
 *    or any copy of a message the writer resent or that was dead-lettered, `hop_resent`) are
 *    dropped, and so are once-only app events counted before (`hop_once_<slot>`) or twice in
 *    this batch; a once-only event older than their memory can vouch for is refused (set
 *    aside in `dead_letters` as `late:<event id>`, never counted twice or dropped unseen); the
 *    same read learns which webhook events endpoints subscribe to.
 * 2. One transaction claims the batch (recording the envelope ids), records once-only app
 *    events, adds the rollup deltas, lists the batch's archive objects and keeps their rows in
 *    `hop_raw_pending` (store/hop-rollups.ts), and creates the webhook deliveries (idempotent
 *    per endpoint and event). A batch that lost a race to a concurrent consumer claims nothing
 *    and is tried again from step 1.
 * 3. The archive objects go to R2; their pending rows are then deleted (the cron writes any
 *    that are left, so a crash here loses nothing). The deliveries are handed on.
 *
 * D1 rows written per batch: 1 claim, 2 per archive object (+1 to delete its pending rows),
 * 1 per poster row and per day's totals row it touches, 1 per once-only event (counted, or
 * set aside as too late), 1 per resent envelope or one with a copy waiting in the dead letters;
 * nothing per scan as such. See docs/stats.md.
 */

import type { BridgeConfig } from "../config";
import type { HopRow } from "../core/hop-row";
import { ONCE_EVENT_PREFIX, rollupDeltas } from "../core/rollup";
import type { Env } from "../env";
import { claimedDeadLettersStatement } from "./dead-letter-store";
import { archiveKey, hourOf, putArchiveObject, toNdjson } from "./hop-archive";
import {
  CLOCK_SLACK_MS,
  claimBatchStatement,
  countedMessagesStatement,
  countedResentStatement,
  deadCopiesStatement,
  resentStatement,
} from "./hop-claims";
import { newHopId } from "./hop-ids";
import {
  countedOnceStatement,
  isOnceConflict,
  lateOnceLetter,
  objectStatements,
  onceStatement,
  onceTooLate,
  rollupStatements,
} from "./hop-rollups";
import { dispatchDeliveries } from "./webhook-dispatch";
import {
  deliveriesStatement,
  pendingEvents,
  type Subscriptions,
  subscriptionsFrom,
  subscriptionsStatement,
} from "./webhook-fanout";

/** Rows with the id that makes their delivery idempotent (a queue message id, a spool key…). */
export interface HopEnvelope {
  id: string;
  /** When the envelope was sent (unix ms): it cannot have been counted before this. */
  sentAt: number;
  /**
   * Whether it may have been counted before: a queue message delivered again (`attempts` > 1),
   * a spool object or a dead letter. A first delivery cannot have been, so only these are
   * looked up in `hop_batches` — the lookup reads every batch since `sentAt`.
   */
  again: boolean;
  /**
   * Whether it is a copy the writer sent again after a send whose answer was lost (the first
   * copy may be on its way too): counted, it is recorded in `hop_resent`, so that the other
   * copy counts nothing even as a first delivery.
   */
  resent?: boolean;
  rows: HopRow[];
}

/** What one ingest did. */
export interface IngestResult {
  /** Ids of the envelopes this call counted. */
  counted: string[];
  /** Ids of envelopes that were counted before (skipped). */
  duplicates: string[];
  /** New webhook deliveries (already handed on). */
  deliveries: string[];
  /** Once-only events set aside as too late to count (the dead letter's id and why). */
  refused: { id: string; reason: string }[];
}

/** An envelope to count, with its once-only rows too late to count. */
type Fresh = HopEnvelope & { late: HopRow[] };

/**
 * Whether a row should be counted as far as once-only events go: every row with a random id;
 * a once-only event only the first time it is met (`seen` grows as rows are met).
 */
function firstTimeOnce(row: HopRow, seen: Set<string>): boolean {
  if (!row.event_id.startsWith(ONCE_EVENT_PREFIX)) return true;
  if (seen.has(row.event_id)) return false;
  seen.add(row.event_id);
  return true;
}

/** Claims tried before giving up (each loses only to a concurrent consumer counting the same ids). */
const CLAIM_TRIES = 3;

/**
 * Count envelopes exactly once (see the module comment). Throws when D1 fails; the caller
 * retries, and nothing was counted.
 *
 * @example
 * await ingestHops(env, config, [{ id: msg.id, sentAt: msg.timestamp.getTime(), rows }]);
 */
export async function ingestHops(
  env: Env,
  config: Pick<BridgeConfig, "keyring" | "env" | "webhookBreaker">,
  envelopes: readonly HopEnvelope[],
  now = Date.now(),
): Promise<IngestResult> {
  const result: IngestResult = { counted: [], duplicates: [], deliveries: [], refused: [] };
  const unique = [...new Map(envelopes.map((e) => [e.id, e])).values()];
  if (unique.length === 0) return result;
  const again = unique.filter((e) => e.again);
  const since = again.length ? Math.min(...again.map((e) => e.sentAt)) - CLOCK_SLACK_MS : 0;
  const onceIds = unique.flatMap((e) =>
    e.rows.filter((r) => r.event_id.startsWith(ONCE_EVENT_PREFIX)).map((r) => r.event_id),
  );
  for (let attempt = 1; ; attempt++) {
    const [subs, once, resent, counted] = await env.DB.batch<{ id?: string; events?: unknown }>([
      subscriptionsStatement(env.DB),
      countedOnceStatement(env.DB, onceIds),
      countedResentStatement(
        env.DB,
        unique.map((e) => e.id),
      ),
      ...(again.length
        ? [
            countedMessagesStatement(
              env.DB,
              again.map((e) => e.id),
              since,
            ),
          ]
        : []),
    ]);
    const seen = new Set(
      [...(counted?.results ?? []), ...(resent?.results ?? [])].map((r) => r.id),
    );
    const subscriptions = subscriptionsFrom(subs?.results ?? []);
    const onceSeen = new Set((once?.results ?? []).map((r) => r.id!));
    const fresh: Fresh[] = unique
      .filter((e) => !seen.has(e.id))
      .map((e) => {
        const sorted: Fresh = { ...e, rows: [], late: [] };
        for (const r of e.rows)
          if (firstTimeOnce(r, onceSeen)) (onceTooLate(r, now) ? sorted.late : sorted.rows).push(r);
        return sorted;
      });
    result.duplicates = unique.filter((e) => seen.has(e.id)).map((e) => e.id);
    if (fresh.length === 0) return result;
    const committed = await commit(env, fresh, {
      check: fresh.filter((e) => e.again).map((e) => e.id),
      since,
      now,
      subscriptions,
    });
    if (committed) {
      result.counted = fresh.map((e) => e.id);
      result.deliveries = committed.deliveries;
      result.refused = committed.refused;
      if (result.refused.length)
        console.error(
          `qrbridge: ${result.refused.length} once-only event(s) too late to count set aside in dead_letters`,
          result.refused.map((r) => r.id),
        );
      await archive(env, committed.objects);
      try {
        await dispatchDeliveries(env, config, result.deliveries);
      } catch (err) {
        console.error("qrbridge: could not dispatch webhook deliveries (the cron will)", err);
      }
      return result;
    }
    if (attempt >= CLAIM_TRIES) throw new Error("qrbridge: could not claim a hop batch");
  }
}

interface ArchiveObject {
  hour: string;
  key: string;
  rows: number;
  body: string;
}

/**
 * The transaction of step 2; null when another consumer counted one of these envelopes, or one
 * of their once-only events, first (the caller then starts again from step 1).
 */
async function commit(
  env: Env,
  envelopes: readonly Fresh[],
  opts: { check: string[]; since: number; now: number; subscriptions: Subscriptions },
): Promise<{
  objects: ArchiveObject[];
  deliveries: string[];
  refused: IngestResult["refused"];
} | null> {
  const { since, now } = opts;
  const db = env.DB;
  const rows = envelopes.flatMap((e) => e.rows);
  const batch = { at: now, id: newHopId(now) };
  const byHour = new Map<string, HopRow[]>();
  for (const row of rows) {
    const hour = hourOf(row);
    const list = byHour.get(hour) ?? [];
    list.push(row);
    byHour.set(hour, list);
  }
  const objects: ArchiveObject[] = env.HOP_ARCHIVE
    ? [...byHour].map(([hour, list]) => ({
        hour,
        key: archiveKey(hour, batch.id),
        rows: list.length,
        body: toNdjson(list),
      }))
    : [];
  const once = rows
    .filter((r) => r.event_id.startsWith(ONCE_EVENT_PREFIX))
    .map((r) => [r.event_id, r.at] as [string, number]);
  const events = pendingEvents(rows, opts.subscriptions);
  const resent = envelopes.filter((e) => e.resent).map((e) => e.id);
  const late = envelopes.flatMap((e) => e.late.map((r) => lateOnceLetter(r, now)));
  const statements = [
    claimBatchStatement(db, {
      ...batch,
      messages: envelopes.map((e) => e.id),
      check: opts.check,
      since,
    }),
    onceStatement(db, batch, once),
    ...(resent.length ? [resentStatement(db, batch, resent)] : []),
    deadCopiesStatement(
      db,
      batch,
      envelopes.map((e) => e.id),
    ),
    ...rollupStatements(db, batch, rollupDeltas(rows)),
    ...objectStatements(db, batch, objects),
    ...(late.length ? [claimedDeadLettersStatement(db, batch, "late", late)] : []),
    ...(events.length ? [deliveriesStatement(db, events, now, batch)] : []),
  ];
  let results: D1Result<{ id: string | null }>[];
  try {
    results = await db.batch<{ id: string | null }>(statements);
  } catch (err) {
    if (isOnceConflict(err)) return null;
    throw err;
  }
  if (results[0]?.meta.changes !== 1) return null;
  const deliveries = events.length ? (results[results.length - 1]?.results ?? []) : [];
  const refused = late.map((l) => ({ id: l.id, reason: l.error }));
  // A null id is a delivery held for a paused endpoint: nothing to queue until its resume.
  const queued = deliveries.flatMap((d) => (d.id === null ? [] : [d.id]));
  return { objects, deliveries: queued, refused };
}

/** Step 3: write the objects to R2, then forget their pending rows (the cron retries failures). */
async function archive(env: Env, objects: readonly ArchiveObject[]): Promise<void> {
  const bucket = env.HOP_ARCHIVE;
  if (!bucket || objects.length === 0) return;
  const written: string[] = [];
  for (const o of objects) {
    try {
      await putArchiveObject(bucket, o.key, o.body);
      written.push(o.key);
    } catch (err) {
      console.error(`qrbridge: could not archive ${o.key} (the cron will retry)`, err);
    }
  }
  if (written.length === 0) return;
  try {
    await env.DB.prepare(
      "DELETE FROM hop_raw_pending WHERE key IN (SELECT value FROM json_each(?))",
    )
      .bind(JSON.stringify(written))
      .run();
  } catch (err) {
    // The cron will write them again under the same keys: same bytes, no harm.
    console.error("qrbridge: could not clear pending raw hops", err);
  }
}
