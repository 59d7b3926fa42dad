/**
 * The raw hop log, exported from the R2 archive (store/hop-archive.ts) in archive order: the
 * objects of the range by (hour, key) as listed in D1's `hop_objects`, their rows in written order.
 * A page is the next `limit` archived rows after the cursor; where is it known from D1 alone (each
 * object's row count), so the next cursor goes in a header before anything is streamed, and a page
 * deep in the log costs what a first page costs (a row-value seek, then O(page) rows read). A row
 * is given when its `day` is one of the range's, as the funnel counts it (the day of its poster's
 * store's zone, or of the reporting time zone): the UTC hours that hold those days in every zone in
 * use are read, and a row of another day (in an hour shared with the day before or after) is left
 * out like a filtered one. Filters apply to the page's rows, so a filtered page may hold fewer rows
 * than `limit` (even none) and still have a next cursor: follow it until it is absent. A page also
 * stops at a bound of objects (each an R2 read), so one of a quiet deployment's small objects holds
 * fewer rows than `limit` too.
 */
import { csvLine } from "../core/csv";
import { HOP_COLUMNS } from "../core/hop-row";
import type { Env } from "../env";
import { readArchiveObject } from "./hop-archive";

/** The exported columns: every hop column. */
export const EXPORT_COLUMNS = HOP_COLUMNS;

/** The columns a query may filter on (exact match). */
export const EXPORT_FILTERS = [
  "kind",
  "hop",
  "store_id",
  "campaign_id",
  "poster_id",
  "subject_id",
] as const;
export type ExportFilters = Partial<Record<(typeof EXPORT_FILTERS)[number], string>>;

/** Where a page starts: an object and how many of its rows are already exported. */
export interface HopCursor {
  hour: string;
  key: string;
  offset: number;
}

export interface ExportQuery {
  /**
   * The days asked for in every zone a row's `day` may be in (routes/hops-export.ts): the
   * archive's UTC hours that hold them, and the instants `[start, end)` a row's `at` must fall
   * in (an hour at either end may hold hops of the day before or after).
   */
  span: { start: number; end: number; firstHour: string; lastHour: string };
  /** The days asked for (`YYYY-MM-DD`, inclusive): a row's `day` must be one of them. */
  days?: { from: string; to: string };
  filters: ExportFilters;
  after: HopCursor | null;
  /**
   * The first archive hour retention keeps (core/day-range.ts `firstKeptHour`), or null: an
   * object of an hour before it may be deleted by the cron between the page's plan and its read.
   */
  keptFrom?: string | null;
}

/** One object's share of a page. */
interface PagePart {
  hour: string;
  key: string;
  start: number;
  end: number;
}

/**
 * Encode a cursor (base64url of `<hour>|<key>|<offset>`).
 *
 * @example
 * encodeHopCursor({ hour: "2026-12-06T05", key: "hops/…", offset: 40 })
 */
export function encodeHopCursor(c: HopCursor): string {
  return btoa(`${c.hour}|${c.key}|${c.offset}`)
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * Decode a cursor; null when it is not one of ours.
 *
 * @example
 * decodeHopCursor(encodeHopCursor(c)) // c
 */
export function decodeHopCursor(text: string): HopCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  let plain: string;
  try {
    plain = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2})\|(hops\/[A-Za-z0-9=/._-]{1,200})\|(\d{1,9})$/.exec(plain);
  return m ? { hour: m[1]!, key: m[2]!, offset: Number(m[3]) } : null;
}

/**
 * Plan a page of `limit` archived rows after `q.after`, from at most `maxObjects` objects (each
 * one read when the page streams): the objects and row ranges it covers, and the cursor after
 * it (null on the last page). Reads at most `min(limit, maxObjects) + 1` index rows.
 *
 * @example
 * const { parts, next } = await planPage(env.DB, q, 1000, 400);
 */
export async function planPage(
  db: D1Database,
  q: ExportQuery,
  limit: number,
  maxObjects: number,
): Promise<{ parts: PagePart[]; next: HopCursor | null }> {
  const start = q.after ?? { hour: q.span.firstHour, key: "", offset: 0 };
  const { results } = await db
    .prepare(
      `SELECT hour, key, rows FROM hop_objects
       WHERE hour <= ?2 AND (hour, key) >= (?1, ?3)
       ORDER BY hour, key LIMIT ?4`,
    )
    .bind(start.hour, q.span.lastHour, start.key, Math.min(limit, maxObjects) + 1)
    .all<{ hour: string; key: string; rows: number }>();
  const parts: PagePart[] = [];
  let left = limit;
  for (const o of results) {
    const from = o.hour === start.hour && o.key === start.key ? start.offset : 0;
    if (from >= o.rows) continue;
    if (left === 0 || parts.length === maxObjects)
      return { parts, next: { hour: o.hour, key: o.key, offset: from } };
    const end = Math.min(o.rows, from + left);
    parts.push({ hour: o.hour, key: o.key, start: from, end });
    left -= end - from;
    if (end < o.rows) return { parts, next: { hour: o.hour, key: o.key, offset: end } };
  }
  return { parts, next: null };
}

function matches(
  row: Record<string, unknown>,
  q: Pick<ExportQuery, "span" | "days" | "filters">,
): boolean {
  const at = row.at as number;
  if (!(at >= q.span.start && at < q.span.end)) return false;
  const day = row.day as string;
  if (q.days && !(day >= q.days.from && day <= q.days.to)) return false;
  for (const [column, value] of Object.entries(q.filters)) {
    if (value !== undefined && row[column] !== value) return false;
  }
  return true;
}

/**
 * An object's rows: from R2, or from `hop_raw_pending` in the moment before R2 has them. An
 * object of an hour past retention that is gone was deleted by the cron after the page listed
 * it (the objects go before their index): its rows are past retention, so it has none to give.
 */
async function objectRows(
  env: Env,
  o: { hour: string; key: string },
  keptFrom: string | null | undefined,
): Promise<Record<string, unknown>[]> {
  const { key } = o;
  const fromArchive = env.HOP_ARCHIVE ? await readArchiveObject(env.HOP_ARCHIVE, key) : null;
  if (fromArchive) return fromArchive;
  const pending = await env.DB.prepare("SELECT body FROM hop_raw_pending WHERE key = ?")
    .bind(key)
    .first<{ body: string }>();
  if (!pending) {
    // Written to R2 (and its pending rows deleted) between the two reads: R2 has it now.
    const written = env.HOP_ARCHIVE ? await readArchiveObject(env.HOP_ARCHIVE, key) : null;
    if (written) return written;
    if (keptFrom && o.hour < keptFrom) return [];
    throw new Error(`qrbridge: archive object ${key} is missing`);
  }
  return pending.body
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * A page for a caller held to one store: the next `limit` rows that match `q.filters`, read
 * from at most `maxObjects` objects before the answer starts. Its cursor's offset counts matching
 * rows within its object, and it points at an object holding the caller's rows (or, past the
 * object bound, the next unread one), so neither the rows, the pages, nor the cursor tell how
 * many rows of other stores lie between (planPage's would: its offsets count every row).
 *
 * @example
 * const { rows, next } = await filteredPage(env, q, 1000, 400);
 */
export async function filteredPage(
  env: Env,
  q: ExportQuery,
  limit: number,
  maxObjects: number,
): Promise<{ rows: Record<string, unknown>[]; next: HopCursor | null }> {
  const start = q.after ?? { hour: q.span.firstHour, key: "", offset: 0 };
  const { results } = await env.DB.prepare(
    `SELECT hour, key FROM hop_objects
       WHERE hour <= ?2 AND (hour, key) >= (?1, ?3)
       ORDER BY hour, key LIMIT ?4`,
  )
    .bind(start.hour, q.span.lastHour, start.key, maxObjects + 1)
    .all<{ hour: string; key: string }>();
  const rows: Record<string, unknown>[] = [];
  let read = 0;
  for (const o of results) {
    if (read === maxObjects) return { rows, next: { hour: o.hour, key: o.key, offset: 0 } };
    read++;
    const skip = o.hour === start.hour && o.key === start.key ? start.offset : 0;
    const matching = (await objectRows(env, o, q.keptFrom)).filter((row) => matches(row, q));
    const taken = matching.slice(skip, skip + limit - rows.length);
    rows.push(...taken);
    // Full: the next page resumes after the last row given, even when none follow (it is then
    // empty), so a page's cursor never depends on rows the caller cannot see.
    if (rows.length === limit)
      return { rows, next: { hour: o.hour, key: o.key, offset: skip + taken.length } };
  }
  return { rows, next: null };
}

/** One exported row as an NDJSON or CSV line. */
function exportLine(row: Record<string, unknown>, format: "ndjson" | "csv"): string {
  return format === "csv"
    ? csvLine(
        EXPORT_COLUMNS.map((c) =>
          c === "detail" && row.detail !== null ? JSON.stringify(row.detail) : row[c],
        ),
      )
    : `${JSON.stringify(row)}\n`;
}

/**
 * Stream a planned page as NDJSON (one JSON object a line) or CSV (a header line, then RFC
 * 4180 records; `detail` as JSON text).
 *
 * @example
 * return new Response(streamPage(env, parts, q, "csv"), { headers });
 */
export function streamPage(
  env: Env,
  parts: readonly PagePart[],
  q: Pick<ExportQuery, "span" | "days" | "filters" | "keptFrom">,
  format: "ndjson" | "csv",
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      if (format === "csv") controller.enqueue(encoder.encode(csvLine(EXPORT_COLUMNS)));
    },
    // A pull must enqueue something or close: the stream does not pull again on its own.
    async pull(controller) {
      for (let part = parts[i++]; part; part = parts[i++]) {
        let text = "";
        const rows = (await objectRows(env, part, q.keptFrom)).slice(part.start, part.end);
        for (const row of rows) {
          if (!matches(row, q)) continue;
          text += exportLine(row, format);
        }
        if (text) {
          controller.enqueue(encoder.encode(text));
          return;
        }
      }
      controller.close();
    },
  });
}

/**
 * The rows of a filtered page (filteredPage) as the export's body: the CSV header line first.
 *
 * @example
 * new Response(pageText(rows, "csv"), { headers });
 */
export function pageText(
  rows: readonly Record<string, unknown>[],
  format: "ndjson" | "csv",
): string {
  const head = format === "csv" ? csvLine(EXPORT_COLUMNS) : "";
  return head + rows.map((row) => exportLine(row, format)).join("");
}
