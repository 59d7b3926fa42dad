/**
 * Keyset pagination for D1 lists ordered newest first by `(created_at, id)`. The cursor is
 * opaque to callers: `<created_at>.<id>` of the last row of the previous page.
 */

/** Most rows one list call returns. */
export const MAX_PAGE = 200;

/** A decoded cursor. */
export interface Cursor {
  createdAt: number;
  id: string;
}

/**
 * The cursor after `row`.
 *
 * @example
 * encodeCursor({ created_at: 1700000000000, id: "st_abc" }) // "1700000000000.st_abc"
 */
export function encodeCursor(row: { created_at: number; id: string }): string {
  return `${row.created_at}.${row.id}`;
}

/**
 * Decode a cursor from a query string; `null` when it is not one of ours. Ids may be as long
 * as a webhook delivery's (`whd_<endpoint>_<event id>`, the event id up to 100 characters).
 *
 * @example
 * decodeCursor("1700000000000.st_abc") // { createdAt: 1700000000000, id: "st_abc" }
 */
export function decodeCursor(text: string): Cursor | null {
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{1,128})$/.exec(text);
  return m ? { createdAt: Number(m[1]), id: m[2]! } : null;
}

/**
 * SQL condition (and its bindings) for "rows after this cursor", newest first.
 *
 * @example
 * const { sql, args } = afterCursor(cursor, "p."); // sql: "(p.created_at < ? OR (p.created_at = ? AND p.id < ?))"
 */
export function afterCursor(cursor: Cursor, prefix = ""): { sql: string; args: unknown[] } {
  return {
    sql: `(${prefix}created_at < ? OR (${prefix}created_at = ? AND ${prefix}id < ?))`,
    args: [cursor.createdAt, cursor.createdAt, cursor.id],
  };
}

/**
 * Split `limit + 1` fetched rows into a page and the next cursor.
 *
 * @example
 * const { items, next_cursor } = page(results, limit);
 */
export function page<T extends { created_at: number; id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; next_cursor: string | null } {
  if (rows.length <= limit) return { items: rows, next_cursor: null };
  const items = rows.slice(0, limit);
  return { items, next_cursor: encodeCursor(items[items.length - 1]!) };
}

/**
 * The WHERE clause of a list page: after the cursor, and containing `q` (case-insensitive for
 * ASCII, `%` and `_` taken literally) in any of `columns`.
 *
 * @example
 * const { sql, args } = listPageWhere({ q: "shibuya" }, ["name", "address"]);
 * // sql: "WHERE (name LIKE ? ESCAPE '\\' OR address LIKE ? ESCAPE '\\')"
 */
export function listPageWhere(
  opts: { cursor?: Cursor | null; q?: string },
  columns: string[],
): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.cursor) {
    const after = afterCursor(opts.cursor);
    where.push(after.sql);
    args.push(...after.args);
  }
  if (opts.q) {
    const pattern = `%${opts.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(`(${columns.map((col) => `${col} LIKE ? ESCAPE '\\'`).join(" OR ")})`);
    args.push(...columns.map(() => pattern));
  }
  return { sql: where.length ? `WHERE ${where.join(" AND ")}` : "", args };
}
