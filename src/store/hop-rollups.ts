/**
 * The D1 statements of one counted batch (run together in one `DB.batch()`, one transaction):
 *
 * 1. {@link claimBatchStatement} records the batch and the ids of the messages it counts in
 *    `hop_batches` — unless one of them was counted already (a redelivery that raced us);
 * 2. {@link onceStatement} records the once-only app events (`hop_once`);
 * 3. {@link rollupStatement} adds the batch's rollup deltas to `hop_rollups`, merging counts,
 *    sketches and histograms in SQL so concurrent consumers never overwrite each other.
 *
 * Every statement after the first runs only if the first recorded the batch, so a batch that
 * lost a race changes nothing and is simply tried again.
 */
import type { RollupDelta } from "../core/rollup";

/** How a merged JSON column combines two values of the same key. */
type Merge = "SUM" | "MAX";

function mergedJson(column: string, merge: Merge): string {
  return `(SELECT json_group_object(key, v) FROM (
      SELECT key, ${merge}(value) AS v FROM (
        SELECT key, value FROM json_each(hop_rollups.${column})
        UNION ALL SELECT key, value FROM json_each(excluded.${column}))
      GROUP BY key))`;
}

const CLAIMED = "EXISTS (SELECT 1 FROM hop_batches WHERE at = ?2 AND id = ?3)";

const ROLLUP_SQL = `INSERT INTO hop_rollups
  (day, kind, store_id, campaign_id, poster_id, platform, in_app, counts, scanners, delays)
SELECT d.value ->> 'day', d.value ->> 'kind', d.value ->> 'store_id', d.value ->> 'campaign_id',
       d.value ->> 'poster_id', d.value ->> 'platform', d.value ->> 'in_app',
       d.value ->> 'counts', d.value ->> 'scanners', d.value ->> 'delays'
FROM json_each(?1) AS d
WHERE ${CLAIMED}
  AND (d.value ->> 'once' IS NULL OR EXISTS (
    SELECT 1 FROM hop_once o WHERE o.event_id = d.value ->> 'once' AND o.batch = ?3))
ON CONFLICT (day, kind, store_id, campaign_id, poster_id, platform, in_app) DO UPDATE SET
  counts = ${mergedJson("counts", "SUM")},
  scanners = ${mergedJson("scanners", "MAX")},
  delays = ${mergedJson("delays", "SUM")}`;

/**
 * Record a batch as counted, with the ids of its messages, unless any of them appears in a
 * batch committed since `since` (unix ms). Its `meta.changes` is 1 when the batch was claimed.
 *
 * @example
 * db.batch([claimBatchStatement(db, { at, id, messages, since }), …])
 */
export function claimBatchStatement(
  db: D1Database,
  batch: { at: number; id: string; messages: readonly string[]; since: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO hop_batches (at, id, messages) SELECT ?2, ?3, ?1
       WHERE NOT EXISTS (
         SELECT 1 FROM hop_batches b, json_each(b.messages) m
         WHERE b.at >= ?4 AND m.value IN (SELECT value FROM json_each(?1)))`,
    )
    .bind(JSON.stringify(batch.messages), batch.at, batch.id, batch.since);
}

/**
 * The query for which of `messages` a batch committed since `since` has counted already: rows `{id}`.
 *
 * @example
 * const [seen] = await db.batch([countedMessagesStatement(db, ["m1", "m2"], Date.now() - 3_600_000)]);
 */
export function countedMessagesStatement(
  db: D1Database,
  messages: readonly string[],
  since: number,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT DISTINCT m.value AS id FROM hop_batches b, json_each(b.messages) m
       WHERE b.at >= ?2 AND m.value IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(messages), since);
}

/**
 * The query for which of the once-only events `ids` were counted already: rows `{id}`.
 *
 * @example
 * const [seen] = await db.batch([countedOnceStatement(db, ["ev_3f…"])]);
 */
export function countedOnceStatement(db: D1Database, ids: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      "SELECT event_id AS id FROM hop_once WHERE event_id IN (SELECT value FROM json_each(?))",
    )
    .bind(JSON.stringify(ids));
}

/**
 * Record the once-only events of a claimed batch; an event already there keeps the batch that
 * counted it first, so {@link rollupStatement} counts it only then.
 *
 * @example
 * onceStatement(db, { at, id }, [["ev_3f…", 1767225600000]])
 */
export function onceStatement(
  db: D1Database,
  batch: { at: number; id: string },
  events: readonly [string, number][],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO hop_once (event_id, at, batch)
       SELECT e.value ->> 0, e.value ->> 1, ?3 FROM json_each(?1) AS e WHERE ${CLAIMED}`,
    )
    .bind(JSON.stringify(events), batch.at, batch.id);
}

/**
 * Add rollup deltas to `hop_rollups` for a claimed batch (a once-only delta only if this batch
 * recorded its event).
 *
 * @example
 * rollupStatement(db, { at, id }, rollupDeltas(rows))
 */
export function rollupStatement(
  db: D1Database,
  batch: { at: number; id: string },
  deltas: readonly RollupDelta[],
): D1PreparedStatement {
  const json = JSON.stringify(
    deltas.map((d) => ({
      ...d,
      counts: JSON.stringify(d.counts),
      scanners: JSON.stringify(d.scanners),
      delays: JSON.stringify(d.delays),
    })),
  );
  return db.prepare(ROLLUP_SQL).bind(json, batch.at, batch.id);
}

/**
 * Record the archive objects of a claimed batch, with their rows until R2 has them.
 *
 * @example
 * objectStatements(db, { at, id }, [{ hour, key, rows: 3, body }])
 */
export function objectStatements(
  db: D1Database,
  batch: { at: number; id: string },
  objects: readonly { hour: string; key: string; rows: number; body: string }[],
): D1PreparedStatement[] {
  return objects.flatMap((o) => [
    db
      .prepare(
        `INSERT OR IGNORE INTO hop_objects (hour, key, rows, created_at)
         SELECT ?1, ?4, ?5, ?2 WHERE ${CLAIMED}`,
      )
      .bind(o.hour, batch.at, batch.id, o.key, o.rows),
    db
      .prepare(
        `INSERT OR REPLACE INTO hop_raw_pending (key, body, created_at)
         SELECT ?1, ?4, ?2 WHERE ${CLAIMED}`,
      )
      .bind(o.key, batch.at, batch.id, o.body),
  ]);
}
