/**
 * Daily rollups of the hop log (`hop_daily`, `hop_daily_uniques`). They are updated in the same
 * `DB.batch()` as the raw insert, from the rows of that batch still marked `rolled_up = 0`,
 * and the same batch then marks them: a D1 batch is one transaction, so a row is counted
 * exactly once however often its queue message is delivered.
 */

// Rows of this batch (a JSON array of event ids) not yet counted.
const PENDING = "event_id IN (SELECT value FROM json_each(?1)) AND rolled_up = 0";

// `WHERE` before `ON CONFLICT` is required by SQLite's grammar for an upsert from a SELECT.
const ROLLUP_SQL = `INSERT INTO hop_daily (day, kind, hop, store_id, campaign_id, poster_id, platform, in_app, bot, count)
SELECT day, kind, hop, IFNULL(store_id, ''), IFNULL(campaign_id, ''), IFNULL(poster_id, ''),
       IFNULL(platform, ''), IFNULL(in_app, ''), bot, COUNT(*)
FROM hops WHERE ${PENDING}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
ON CONFLICT (day, kind, hop, store_id, campaign_id, poster_id, platform, in_app, bot)
DO UPDATE SET count = count + excluded.count`;

const UNIQUES_SQL = `INSERT OR IGNORE INTO hop_daily_uniques (day, kind, store_id, campaign_id, poster_id, platform, in_app, ip_hash)
SELECT day, kind, IFNULL(store_id, ''), IFNULL(campaign_id, ''), IFNULL(poster_id, ''),
       IFNULL(platform, ''), IFNULL(in_app, ''), ip_hash
FROM hops WHERE ${PENDING} AND hop = 'scanned' AND bot = 0 AND ip_hash IS NOT NULL`;

const MARK_SQL = `UPDATE hops SET rolled_up = 1 WHERE ${PENDING}`;

/**
 * The statements that count the batch's new rows into the rollups. Run them in the same
 * `DB.batch()` as the insert, before {@link markRolledUpStatement}. One bound parameter (the
 * JSON array of event ids), so D1's 100-parameter limit never applies.
 *
 * @example
 * const ids = JSON.stringify(rows.map((r) => r.event_id));
 * await db.batch([insert, ...rollupStatements(db, ids), markRolledUpStatement(db, ids)]);
 */
export function rollupStatements(db: D1Database, eventIdsJson: string): D1PreparedStatement[] {
  return [db.prepare(ROLLUP_SQL).bind(eventIdsJson), db.prepare(UNIQUES_SQL).bind(eventIdsJson)];
}

/**
 * Mark the batch's rows as counted; the last statement of the batch.
 *
 * @example
 * stmts.push(markRolledUpStatement(db, ids));
 */
export function markRolledUpStatement(db: D1Database, eventIdsJson: string): D1PreparedStatement {
  return db.prepare(MARK_SQL).bind(eventIdsJson);
}

/**
 * Count rows some writer left at `rolled_up = 0` for longer than `graceMs` (the safety net the
 * cron runs; normally there are none). Returns how many rows were rolled up.
 *
 * @example
 * await rollupStragglers(env.DB, Date.now());
 */
export async function rollupStragglers(
  db: D1Database,
  now: number,
  graceMs = 60_000,
  limit = 1000,
): Promise<number> {
  const { results } = await db
    .prepare("SELECT event_id FROM hops WHERE rolled_up = 0 AND at < ? ORDER BY at LIMIT ?")
    .bind(now - graceMs, limit)
    .all<{ event_id: string }>();
  if (results.length === 0) return 0;
  const ids = JSON.stringify(results.map((r) => r.event_id));
  await db.batch([...rollupStatements(db, ids), markRolledUpStatement(db, ids)]);
  return results.length;
}
