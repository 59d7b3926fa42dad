/**
 * The raw hop log, exported in pages ordered by (`at`, `event_id`) with an opaque cursor, and
 * streamed as NDJSON or CSV: a page of any size leaves the Worker in chunks, never built in
 * memory at once.
 */
import { csvLine } from "../core/csv";
import { HOP_COLUMNS } from "../core/hop-row";

/** The exported columns: every `hops` column. */
export const EXPORT_COLUMNS = HOP_COLUMNS;

/** Where a page starts or ends: the last (at, event_id) already returned. */
export interface HopCursor {
  at: number;
  event_id: string;
}

export interface ExportQuery {
  /** Unix ms, inclusive. */
  fromMs: number;
  /** Unix ms, exclusive. */
  toMs: number;
  store_id?: string;
  campaign_id?: string;
  after: HopCursor | null;
}

/** Rows fetched per D1 query while streaming. */
const CHUNK = 500;

/**
 * Encode a cursor (base64url of `<at>:<event_id>`).
 *
 * @example
 * encodeHopCursor({ at: 1767225600000, event_id: "abc" }) // "MTc2NzIyNTYwMDAwMDphYmM"
 */
export function encodeHopCursor(c: HopCursor): string {
  return btoa(`${c.at}:${c.event_id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decode a cursor; null when it is not one of ours.
 *
 * @example
 * decodeHopCursor("MTc2NzIyNTYwMDAwMDphYmM") // { at: 1767225600000, event_id: "abc" }
 */
export function decodeHopCursor(text: string): HopCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  let plain: string;
  try {
    plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const m = /^(\d{1,16}):([A-Za-z0-9_-]{1,100})$/.exec(plain);
  return m ? { at: Number(m[1]), event_id: m[2]! } : null;
}

function conditions(q: ExportQuery, after: HopCursor | null): { sql: string; args: unknown[] } {
  const parts = ["at >= ?", "at < ?"];
  const args: unknown[] = [q.fromMs, q.toMs];
  if (q.store_id !== undefined) {
    parts.push("store_id = ?");
    args.push(q.store_id);
  }
  if (q.campaign_id !== undefined) {
    parts.push("campaign_id = ?");
    args.push(q.campaign_id);
  }
  if (after) {
    parts.push("(at > ? OR (at = ? AND event_id > ?))");
    args.push(after.at, after.at, after.event_id);
  }
  return { sql: parts.join(" AND "), args };
}

/**
 * Where a page of `limit` rows ends: the cursor of its last row when more rows follow (the
 * next page's cursor), else null. Known before streaming, so it can go in a header.
 *
 * @example
 * const next = await pageEnd(env.DB, q, 1000);
 */
export async function pageEnd(
  db: D1Database,
  q: ExportQuery,
  limit: number,
): Promise<HopCursor | null> {
  const w = conditions(q, q.after);
  const { results } = await db
    .prepare(`SELECT at, event_id FROM hops WHERE ${w.sql} ORDER BY at, event_id LIMIT 2 OFFSET ?`)
    .bind(...w.args, limit - 1)
    .all<HopCursor>();
  return results.length === 2 ? results[0]! : null;
}

/**
 * Stream up to `limit` rows after `q.after` as NDJSON (one JSON object a line) or CSV (a
 * header line, then RFC 4180 records).
 *
 * @example
 * return new Response(streamHops(env.DB, q, 1000, "csv"), { headers: { "content-type": "text/csv" } });
 */
export function streamHops(
  db: D1Database,
  q: ExportQuery,
  limit: number,
  format: "ndjson" | "csv",
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = q.after;
  let left = limit;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = "";
      if (!started && format === "csv") text += csvLine(EXPORT_COLUMNS);
      started = true;
      if (left <= 0) {
        if (text) controller.enqueue(encoder.encode(text));
        controller.close();
        return;
      }
      const w = conditions(q, after);
      const { results } = await db
        .prepare(
          `SELECT ${EXPORT_COLUMNS.join(", ")} FROM hops WHERE ${w.sql} ORDER BY at, event_id LIMIT ?`,
        )
        .bind(...w.args, Math.min(CHUNK, left))
        .all<Record<(typeof EXPORT_COLUMNS)[number], unknown>>();
      for (const r of results) {
        text +=
          format === "csv"
            ? csvLine(EXPORT_COLUMNS.map((c) => r[c]))
            : `${JSON.stringify({ ...r, detail: parseDetail(r.detail) })}\n`;
      }
      left -= results.length;
      const last = results[results.length - 1];
      if (last) after = { at: last.at as number, event_id: last.event_id as string };
      if (results.length < Math.min(CHUNK, left + results.length)) left = 0;
      if (text) controller.enqueue(encoder.encode(text));
      if (left <= 0) controller.close();
    },
  });
}

function parseDetail(detail: unknown): unknown {
  if (typeof detail !== "string") return null;
  try {
    return JSON.parse(detail);
  } catch {
    return detail;
  }
}
