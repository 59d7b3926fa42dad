/**
 * The D1 statements of one counted batch (run together in one `DB.batch()`, one transaction):
 *
 * 1. `claimBatchStatement` (store/hop-claims.ts) records the batch and the ids of the messages
 *    it counts in `hop_batches` — unless one of them was counted already (a redelivery that
 *    raced us, a resent copy);
 * 2. {@link onceStatement} records the once-only app events (`hop_once_<slot>`): a plain
 *    insert, so an event a concurrent consumer counted first fails the whole transaction
 *    (the batch is then tried again without it);
 * 3. {@link rollupStatements} adds the batch's rollup deltas to the rollup tables, merging
 *    counts, sketches and histograms in SQL so concurrent consumers never overwrite each other.
 *
 * Every statement after the first runs only if the first recorded the batch, so a batch that
 * lost a race changes nothing and is simply tried again.
 */
import type { HopRow } from "../core/hop-row";
import { ONCE_EVENT_PREFIX, type RollupDelta, totalDeltas } from "../core/rollup";
import { CLAIMED, CLOCK_SLACK_MS } from "./hop-claims";

/** How a merged JSON column combines two values of the same key. */
type Merge = "SUM" | "MAX";

/**
 * The SQL that merges the incoming `column` (`excluded`) into the stored row's (upsert). It
 * walks only the incoming map — a batch's few keys — and patches the stored one with
 * `json_patch`: D1 counts every element `json_each` yields as a row read, and a stored sketch
 * holds thousands.
 */
export function mergedJson(table: string, column: string, merge: Merge): string {
  const old = `IFNULL(json_extract(${table}.${column}, '$."' || n.key || '"'), 0)`;
  const patch =
    merge === "SUM"
      ? `SELECT json_group_object(n.key, n.value + ${old}) FROM json_each(excluded.${column}) n`
      : `SELECT json_group_object(n.key, n.value) FROM json_each(excluded.${column}) n WHERE n.value > ${old}`;
  return `json_patch(${table}.${column}, (${patch}))`;
}

/** The rollup tables: by day and poster, by day alone (totals), by month and poster. */
export type RollupTable = "hop_rollups" | "hop_rollups_total" | "hop_rollups_month";

const KEYS: Record<RollupTable, { columns: string; values: string }> = {
  hop_rollups: {
    columns: "day, kind, store_id, campaign_id, poster_id",
    values:
      "d.value ->> 'day', d.value ->> 'kind', d.value ->> 'store_id', d.value ->> 'campaign_id', d.value ->> 'poster_id'",
  },
  hop_rollups_total: {
    columns: "day, kind",
    values: "d.value ->> 'day', d.value ->> 'kind'",
  },
  hop_rollups_month: {
    columns: "month, kind, store_id, campaign_id, poster_id",
    values:
      "substr(d.value ->> 'day', 1, 7), d.value ->> 'kind', d.value ->> 'store_id', d.value ->> 'campaign_id', d.value ->> 'poster_id'",
  },
};

/**
 * An upsert of rollup deltas (JSON `?1`) into `table`: new keys inserted, existing ones merged
 * (counts and delays added, sketches maxed). `where` further limits which deltas apply.
 *
 * @example
 * db.prepare(upsertRollupsSql("hop_rollups", "true")).bind(json)
 */
export function upsertRollupsSql(table: RollupTable, where: string): string {
  const key = KEYS[table];
  return `INSERT INTO ${table} (${key.columns}, counts, scanners, delays)
SELECT ${key.values}, d.value ->> 'counts', d.value ->> 'scanners', d.value ->> 'delays'
FROM json_each(?1) AS d
WHERE ${where}
ON CONFLICT (${key.columns}) DO UPDATE SET
  counts = ${mergedJson(table, "counts", "SUM")},
  scanners = ${mergedJson(table, "scanners", "MAX")},
  delays = ${mergedJson(table, "delays", "SUM")}`;
}

// A day already folded into its month row (store/rollup-compaction.ts): a late hop of that day
// goes into the month row too, so the month never misses it.
const COMPACTED = "EXISTS (SELECT 1 FROM hop_compacted c WHERE c.day = d.value ->> 'day')";

/** Deltas as the statements bind them: the maps as JSON text. */
export function deltasJson(deltas: readonly RollupDelta[]): string {
  return JSON.stringify(
    deltas.map((d) => ({
      ...d,
      counts: JSON.stringify(d.counts),
      scanners: JSON.stringify(d.scanners),
      delays: JSON.stringify(d.delays),
    })),
  );
}

/** Once-only events are remembered a week at a time, in four tables used in turn (0015). */
export const ONCE_WEEK_MS = 7 * 86_400_000;
const ONCE_SLOTS = [0, 1, 2, 3] as const;
/**
 * How long a counted once-only event is remembered at least: the tables of this week and the
 * two before it are kept (the fourth is emptied for the next week).
 */
const ONCE_MEMORY_MS = (ONCE_SLOTS.length - 2) * ONCE_WEEK_MS;

/**
 * How long after it happened a once-only event may still be counted: a repeat of it happens
 * within a week (an attribution session) of the first, which was counted no earlier than that,
 * and a count is remembered {@link ONCE_MEMORY_MS}. A later one cannot be told from a repeat.
 */
export const ONCE_LATE_MS = ONCE_MEMORY_MS - ONCE_WEEK_MS - CLOCK_SLACK_MS;

/**
 * Whether `row` is a once-only event too late to count at `now` (see {@link ONCE_LATE_MS}).
 *
 * @example
 * onceTooLate(row, Date.now()) // true for an `ev_…` row 8 days old
 */
export function onceTooLate(row: HopRow, now: number): boolean {
  return row.event_id.startsWith(ONCE_EVENT_PREFIX) && now - row.at > ONCE_LATE_MS;
}

/**
 * The dead letter that keeps a once-only event too late to count: one per event, so a replay
 * of it, refused again, finds itself.
 *
 * @example
 * lateOnceLetter(row, Date.now()) // { id: "late:ev_3f…", row, error: "once-only event ev_3f… happened 9 days …" }
 */
export function lateOnceLetter(row: HopRow, now: number) {
  const days = Math.floor((now - row.at) / 86_400_000);
  const known = Math.round(ONCE_LATE_MS / 86_400_000);
  const error = `once-only event ${row.event_id} happened ${days} days before it was counted; past ${known} days whether a copy of it was counted is no longer known, so it is kept here and not counted`;
  return { id: `late:${row.event_id}`, row, error };
}

/**
 * The `hop_once_<slot>` table of the week of `now`.
 *
 * @example
 * onceSlot(Date.UTC(2026, 11, 6)) // 0, 1 or 2
 */
export function onceSlot(now: number): number {
  return Math.floor(now / ONCE_WEEK_MS) % ONCE_SLOTS.length;
}

/**
 * The query for which of the once-only events `ids` were counted already: rows `{id}`.
 *
 * @example
 * const [seen] = await db.batch([countedOnceStatement(db, ["ev_3f…"])]);
 */
export function countedOnceStatement(db: D1Database, ids: readonly string[]): D1PreparedStatement {
  const union = ONCE_SLOTS.map(
    (s) =>
      `SELECT event_id AS id FROM hop_once_${s} WHERE event_id IN (SELECT value FROM json_each(?1))`,
  ).join(" UNION ALL ");
  return db.prepare(union).bind(JSON.stringify(ids));
}

/** Whether a D1 error is a once-only event that a concurrent consumer counted first. */
export function isOnceConflict(err: unknown): boolean {
  return /UNIQUE constraint failed: hop_once_/.test(String((err as Error)?.message ?? err));
}

/**
 * Record the once-only events of a claimed batch in this week's table. A plain insert: an event
 * already there fails the transaction (see {@link isOnceConflict}).
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
      `INSERT INTO hop_once_${onceSlot(batch.at)} (event_id, at)
       SELECT e.value ->> 0, e.value ->> 1 FROM json_each(?1) AS e WHERE ${CLAIMED}`,
    )
    .bind(JSON.stringify(events), batch.at, batch.id);
}

/**
 * Empty the table of next week's once-only events, if it still holds the week four weeks
 * before (drop and create: no row deletes). Run from the cron any time during a week. A table
 * that holds a more recent week (slotted when there were three tables) keeps its rows, which
 * are then remembered longer, never shorter.
 *
 * @example
 * await prepareOnceSlot(env.DB, Date.now());
 */
export async function prepareOnceSlot(db: D1Database, now: number): Promise<boolean> {
  const week = Math.floor(now / ONCE_WEEK_MS) + 1;
  const slot = week % ONCE_SLOTS.length;
  const held = await db
    .prepare("SELECT week FROM hop_once_weeks WHERE slot = ?")
    .bind(slot)
    .first<{ week: number }>();
  if (held?.week === week) return false;
  if (held && held.week > week - ONCE_SLOTS.length && held.week < week) {
    await db.prepare("UPDATE hop_once_weeks SET week = ? WHERE slot = ?").bind(week, slot).run();
    return false;
  }
  await db.batch([
    db.prepare(`DROP TABLE IF EXISTS hop_once_${slot}`),
    db.prepare(
      `CREATE TABLE hop_once_${slot} (event_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID`,
    ),
    db.prepare("INSERT OR REPLACE INTO hop_once_weeks (slot, week) VALUES (?, ?)").bind(slot, week),
  ]);
  return true;
}

/**
 * Add a claimed batch's rollup deltas: poster rows by day (and by month where the month row
 * already holds that day), totals by day.
 *
 * @example
 * rollupStatements(db, { at, id }, rollupDeltas(rows))
 */
export function rollupStatements(
  db: D1Database,
  batch: { at: number; id: string },
  deltas: readonly RollupDelta[],
): D1PreparedStatement[] {
  if (deltas.length === 0) return [];
  return [
    ...posterRollupStatements(db, batch, deltas),
    totalRollupStatement(db, batch, totalDeltas(deltas)),
  ];
}

/**
 * The poster rows' part of {@link rollupStatements}: by day, and by month where the month row
 * already holds that day.
 *
 * @example
 * posterRollupStatements(db, { at, id }, rollupDeltas(rows))
 */
export function posterRollupStatements(
  db: D1Database,
  batch: { at: number; id: string },
  deltas: readonly RollupDelta[],
): D1PreparedStatement[] {
  const poster = deltasJson(deltas);
  return [
    db.prepare(upsertRollupsSql("hop_rollups", CLAIMED)).bind(poster, batch.at, batch.id),
    db
      .prepare(upsertRollupsSql("hop_rollups_month", `${CLAIMED} AND ${COMPACTED}`))
      .bind(poster, batch.at, batch.id),
  ];
}

/**
 * The totals' part of {@link rollupStatements}: `totals` are {@link totalDeltas}, day × kind.
 *
 * @example
 * totalRollupStatement(db, { at, id }, totalDeltas(rollupDeltas(rows)))
 */
export function totalRollupStatement(
  db: D1Database,
  batch: { at: number; id: string },
  totals: readonly RollupDelta[],
): D1PreparedStatement {
  return db
    .prepare(upsertRollupsSql("hop_rollups_total", CLAIMED))
    .bind(deltasJson(totals), batch.at, batch.id);
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
