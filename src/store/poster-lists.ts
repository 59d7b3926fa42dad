/**
 * Lists of posters in D1: filtered, paged (cursor or offset) and counted, for the API's list
 * and the print sheets.
 */
import type { PosterStatus } from "../core/attribution";
import { afterCursor, type Cursor, page } from "./paging";
import { type PosterRecord, type PosterRow, SELECT, toRecord } from "./posters";

/** Which posters a list or a print sheet is about (deleted ones are always left out). */
export interface PosterFilter {
  store_id?: string;
  campaign_id?: string;
  status?: PosterStatus;
  ids?: string[];
  /** Only posters whose `active_until` (exclusive) is after this time (unix ms), or that have none. */
  notEndedAt?: number;
}

function filterSql(f: PosterFilter): { where: string[]; args: unknown[] } {
  const where = ["p.deleted_at IS NULL"];
  const args: unknown[] = [];
  for (const field of ["store_id", "campaign_id", "status"] as const) {
    if (f[field] !== undefined) {
      where.push(`p.${field} = ?`);
      args.push(f[field]);
    }
  }
  if (f.notEndedAt !== undefined) {
    where.push("(p.active_until IS NULL OR p.active_until > ?)");
    args.push(f.notEndedAt);
  }
  if (f.ids) {
    where.push("p.id IN (SELECT value FROM json_each(?))");
    args.push(JSON.stringify(f.ids));
  }
  return { where, args };
}

/**
 * Posters that are not deleted, newest first, filtered by store, campaign and status; with
 * `order: "created"` in the order they were created instead (a batch in its request's order),
 * as print sheets want them.
 *
 * @example
 * const { items, next_cursor } = await listPosters(env.DB, { store_id: "st_…", limit: 50 });
 */
export async function listPosters(
  db: D1Database,
  opts: PosterFilter & {
    limit: number;
    cursor?: Cursor | null;
    offset?: number;
    order?: "newest" | "created";
  },
): Promise<{ items: PosterRecord[]; next_cursor: string | null }> {
  const { where, args } = filterSql(opts);
  const order =
    opts.order === "created" ? "p.created_at, p.batch_index, p.id" : "p.created_at DESC, p.id DESC";
  if (opts.cursor) {
    const after = afterCursor(opts.cursor, "p.");
    where.push(after.sql);
    args.push(...after.args);
  }
  const { results } = await db
    .prepare(`${SELECT} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .bind(...args, opts.limit + 1, opts.offset ?? 0)
    .all<PosterRow>();
  return page(results.map(toRecord), opts.limit);
}

/**
 * How many posters (not deleted) match a filter.
 *
 * @example
 * const n = await countPosters(env.DB, { campaign_id: "cp_…" });
 */
export async function countPosters(db: D1Database, filter: PosterFilter): Promise<number> {
  const { where, args } = filterSql(filter);
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM posters p WHERE ${where.join(" AND ")}`)
    .bind(...args)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
