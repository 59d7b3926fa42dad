/**
 * The audit log in D1 (`audit_log`, migrations/0016_audit_log.sql): one row per change made
 * through the API or the console. A store function that makes a change puts
 * {@link auditStatement} in the same `DB.batch()` (a transaction), so a change never lands
 * without its row, nor a row without its change.
 */
import {
  type AuditAction,
  type AuditActor,
  type AuditChanges,
  type AuditCursor,
  type AuditEntry,
  type AuditVia,
  encodeAuditCursor,
  subjectOf,
} from "../core/audit";

const INSERT = "INSERT INTO audit_log (at, actor, via, action, subject_type, subject_id, changes)";

/**
 * The statement that logs `entry` at `at`. With `ifChanged`, it logs only when the statement
 * just before it in the batch changed a row (SQLite's `changes()`): a conditional UPDATE that
 * matched nothing (a lost version race, an unknown id) leaves no row.
 *
 * @example
 * await db.batch([update, auditStatement(db, entry, now, { ifChanged: true })]);
 */
export function auditStatement(
  db: D1Database,
  entry: AuditEntry,
  at: number,
  opts: { ifChanged?: boolean } = {},
): D1PreparedStatement {
  const args = [
    at,
    entry.actor,
    entry.via,
    entry.action,
    entry.subject_type,
    entry.subject_id,
    JSON.stringify(entry.changes),
  ];
  if (opts.ifChanged)
    return db.prepare(`${INSERT} SELECT ?, ?, ?, ?, ?, ?, ? WHERE changes() > 0`).bind(...args);
  return db.prepare(`${INSERT} VALUES (?, ?, ?, ?, ?, ?, ?)`).bind(...args);
}

/**
 * The statement logging `action` on `subjectId` by `by`, as a list to spread into a change's
 * batch: empty without `by` (a change made by the bridge itself, not a caller). `ifChanged` as
 * in {@link auditStatement}.
 *
 * @example
 * await db.batch([update, ...auditIf(db, by, "poster.update", id, changesOf(patch), now, true)]);
 */
export function auditIf(
  db: D1Database,
  by: AuditActor | undefined,
  action: AuditAction,
  subjectId: string,
  changes: AuditChanges,
  at: number,
  ifChanged = false,
): D1PreparedStatement[] {
  if (!by) return [];
  const entry = { ...by, action, subject_type: subjectOf(action), subject_id: subjectId, changes };
  return [auditStatement(db, entry, at, { ifChanged })];
}

/**
 * One statement that logs one action of one actor on many subjects (a batch of posters, the
 * letters of a replay): D1 allows at most 100 bound parameters, so they travel as one JSON array.
 * With `onlyIf`, the SQL condition it returns for the subject id's expression, only the subjects
 * it holds for are logged: those a conditional change after it in the batch is about to change.
 *
 * @example
 * statements.push(auditManyStatement(db, by, "poster.create", [{ id, changes }], now));
 */
export function auditManyStatement(
  db: D1Database,
  by: AuditActor,
  action: AuditAction,
  subjects: { id: string; changes: AuditChanges }[],
  at: number,
  onlyIf?: (subjectId: string) => string,
): D1PreparedStatement {
  const rows = subjects.map((s) => [s.id, JSON.stringify(s.changes)]);
  const id = "json_extract(j.value, '$[0]')";
  const where = onlyIf ? ` WHERE ${onlyIf(id)}` : "";
  return db
    .prepare(
      `${INSERT} SELECT ?, ?, ?, ?, ?, ${id}, json_extract(j.value, '$[1]') FROM json_each(?) AS j${where} ORDER BY j.key`,
    )
    .bind(at, by.actor, by.via, action, subjectOf(action), JSON.stringify(rows));
}

/** A row of the log as the API shows it. */
export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  via: AuditVia;
  action: string;
  subject_type: string;
  subject_id: string;
  changes: { fields: string[]; values: Record<string, unknown> };
}

export interface AuditFilter {
  subject_type?: string;
  subject_id?: string;
  actor?: string;
  /** Rows at or after (unix ms). */
  from?: number;
  /** Rows before (unix ms). */
  to?: number;
  cursor?: AuditCursor | null;
  limit: number;
}

/**
 * A page of the log, newest first. Each filter is an index prefix (`audit_log_subject`,
 * `audit_log_actor`, `audit_log_at`, all ending in `(at, id)`) and the cursor a row-value
 * comparison on `(at, id)`, so a page reads about `limit` rows however deep it is.
 *
 * @example
 * const { items, next_cursor } = await listAuditLog(env.DB, { subject_type: "poster", subject_id: "7K2M9Q", limit: 50 });
 */
export async function listAuditLog(
  db: D1Database,
  filter: AuditFilter,
): Promise<{ items: AuditRow[]; next_cursor: string | null; rows_read: number }> {
  const where: string[] = [];
  const args: unknown[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    args.push(value);
  };
  eq("subject_type", filter.subject_type);
  eq("subject_id", filter.subject_id);
  eq("actor", filter.actor);
  if (filter.from !== undefined) {
    where.push("at >= ?");
    args.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push("at < ?");
    args.push(filter.to);
  }
  if (filter.cursor) {
    where.push("(at, id) < (?, ?)");
    args.push(filter.cursor.at, filter.cursor.id);
  }
  const sql = `SELECT id, at, actor, via, action, subject_type, subject_id, changes FROM audit_log${
    where.length ? ` WHERE ${where.join(" AND ")}` : ""
  } ORDER BY at DESC, id DESC LIMIT ?`;
  const res = await db
    .prepare(sql)
    .bind(...args, filter.limit + 1)
    .all<Omit<AuditRow, "changes"> & { changes: string }>();
  const rows = res.results.map((r) => ({ ...r, changes: JSON.parse(r.changes) }) as AuditRow);
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items,
    next_cursor: rows.length > filter.limit && last ? encodeAuditCursor(last) : null,
    rows_read: res.meta.rows_read,
  };
}

/** Rows deleted per statement, and statements per cron run: a bounded amount of work an hour. */
export const AUDIT_DELETE_CHUNK = 1000;
export const AUDIT_DELETE_CHUNKS_PER_RUN = 10;

/**
 * Delete rows older than `cutoff` (unix ms), oldest first, a chunk at a time, at most
 * {@link AUDIT_DELETE_CHUNKS_PER_RUN} chunks (the rest wait for the next hour). Returns the
 * number deleted.
 *
 * @example
 * await deleteOldAudit(env.DB, now - config.auditRetentionDays * DAY);
 */
export async function deleteOldAudit(db: D1Database, cutoff: number): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < AUDIT_DELETE_CHUNKS_PER_RUN; i++) {
    const res = await db
      .prepare(
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at, id LIMIT ?)",
      )
      .bind(cutoff, AUDIT_DELETE_CHUNK)
      .run();
    deleted += res.meta.changes;
    if (res.meta.changes < AUDIT_DELETE_CHUNK) break;
  }
  return deleted;
}
