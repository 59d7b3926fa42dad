/**
 * The shape of one hop (docs/storage.md, "Raw hops"): pure data, shared by the writer
 * (store/hops.ts), the consumer (store/hop-ingest.ts), the R2 archive, the export and the
 * webhook events. Every free-text field has a bound, applied where the row is built
 * ({@link boundHopRow}), so a real scan is never refused for an odd header (a 300-character
 * Referer host is cut, not rejected); the consumer judges each row on its own with
 * {@link hopRowProblem}, so one bad row cannot take other rows down with it.
 */

export const HOP_NAMES = [
  "created",
  "rendered",
  "scanned",
  "previewed",
  "landing",
  "app_open",
  "redeemed",
  "approved",
  "denied",
  "cancelled",
  "expired",
  "converted",
  "rejected",
  "exchanged",
] as const;
export type HopName = (typeof HOP_NAMES)[number];
export const SUBJECT_KINDS = ["handoff", "poster", "login"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** A raw hop (see docs/storage.md). Times are unix ms. */
export interface HopRow {
  event_id: string;
  at: number;
  day: string;
  kind: SubjectKind;
  subject_id: string;
  hop: HopName;
  store_id: string | null;
  campaign_id: string | null;
  poster_id: string | null;
  session_id: string | null;
  platform: string | null;
  in_app: string | null;
  country: string | null;
  colo: string | null;
  referrer_host: string | null;
  ip_hash: string | null;
  bot: 0 | 1;
  ms_since_created: number | null;
  detail: string | null;
}

/** The columns of a hop row, in export order. */
export const HOP_COLUMNS = [
  "event_id",
  "at",
  "day",
  "kind",
  "subject_id",
  "hop",
  "store_id",
  "campaign_id",
  "poster_id",
  "session_id",
  "platform",
  "in_app",
  "country",
  "colo",
  "referrer_host",
  "ip_hash",
  "bot",
  "ms_since_created",
  "detail",
] as const satisfies readonly (keyof HopRow)[];

type TextColumn = {
  [K in keyof HopRow]: HopRow[K] extends string | null ? K : never;
}[keyof HopRow];

/** The longest value each text column may hold (characters). */
export const HOP_TEXT_LIMITS: Readonly<Record<TextColumn, number>> = {
  event_id: 100,
  day: 10,
  kind: 10,
  subject_id: 100,
  hop: 20,
  store_id: 100,
  campaign_id: 100,
  poster_id: 100,
  session_id: 100,
  platform: 20,
  in_app: 40,
  country: 8,
  colo: 8,
  referrer_host: 200,
  ip_hash: 64,
  detail: 2000,
};

/** Longest string kept inside `detail` (the rest of a longer value is cut). */
const DETAIL_STRING_LIMIT = 300;

/**
 * `detail` as bounded JSON text: each string value cut to 300 characters; if the whole is still
 * over the column's limit, only `{"truncated": true}` is kept (cut JSON would not parse).
 *
 * @example
 * boundDetail({ via: "page" }) // '{"via":"page"}'
 */
export function boundDetail(detail: Record<string, unknown> | null | undefined): string | null {
  if (!detail) return null;
  const text = JSON.stringify(detail, (_k, v) =>
    typeof v === "string" && v.length > DETAIL_STRING_LIMIT ? v.slice(0, DETAIL_STRING_LIMIT) : v,
  );
  return text.length <= HOP_TEXT_LIMITS.detail ? text : '{"truncated":true}';
}

// Characters no text column may hold (detail is JSON text, escaped by JSON.stringify): control
// characters and lone surrogates, which D1 cannot store as they are and SQLite's JSON functions
// cut at (a NUL ends a JSON path). Global, to replace them all; found with `search`, which
// (unlike `test`) keeps no state in a global regex between calls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const UNSAFE = /[\u0000-\u001f\u007f]|[\ud800-\udfff]/gu;
// Platform and in-app browser become keys of the rollups' JSON maps, looked up with paths like
// `$."scanned@p:<platform>"` (store/hop-rollups.ts): a quote or backslash there breaks the path
// and with it the whole batch's transaction, and the keys' separators (`@`, `~`, `:`) would
// make a value read as another hop, source or sketch register (core/rollup.ts).
const KEY_COLUMNS: ReadonlySet<TextColumn> = new Set(["platform", "in_app"]);
const UNSAFE_IN_KEY = /["\\@~:]/g;

function safeText(column: TextColumn, value: string): string {
  const out = value.replace(UNSAFE, "\ufffd");
  return KEY_COLUMNS.has(column) ? out.replace(UNSAFE_IN_KEY, "_") : out;
}

/**
 * The row with every text column cut to its limit (see {@link HOP_TEXT_LIMITS}); `detail` is
 * replaced by `{"truncated":true}` rather than cut. Characters the store cannot hold (control
 * characters, lone surrogates; quotes in platform and in-app browser) are replaced. Returns the
 * same object when nothing changed.
 *
 * @example
 * boundHopRow({ ...row, referrer_host: "a".repeat(300) }).referrer_host.length // 200
 */
export function boundHopRow(row: HopRow): HopRow {
  let out = row;
  for (const [column, max] of Object.entries(HOP_TEXT_LIMITS) as [TextColumn, number][]) {
    const value = row[column];
    if (typeof value !== "string") continue;
    const safe = column === "detail" ? value : safeText(column, value);
    if (safe === value && value.length <= max) continue;
    if (out === row) out = { ...row };
    (out as unknown as Record<string, unknown>)[column] =
      column === "detail" ? '{"truncated":true}' : safe.slice(0, max);
  }
  return out;
}

const KINDS = new Set<string>(SUBJECT_KINDS);
const HOPS = new Set<string>(HOP_NAMES);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The latest time a Date can hold (unix ms). */
const MAX_DATE_MS = 8.64e15;
const REQUIRED: readonly TextColumn[] = ["event_id", "day", "kind", "subject_id", "hop"];
/** The farthest time zones' clocks are ahead of UTC (Kiritimati, +14 h) and behind it (Etc/GMT+12). */
const AHEAD_MS = 14 * 3_600_000;
const BEHIND_MS = 12 * 3_600_000;

/** Whether `day` is the day of `at` in some time zone: `at` on some zone's clocks falls in it. */
function dayOfAtSomewhere(at: number, day: string): boolean {
  const start = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) return false;
  return start <= at + AHEAD_MS && start + 86_400_000 > at - BEHIND_MS;
}

/**
 * Why a value from the queue is not a hop row the store accepts, or null when it is. Rows come
 * from our own writer, but a queue message is untrusted input all the same.
 *
 * @example
 * hopRowProblem({ ...row, referrer_host: "x".repeat(201) }) // "referrer_host: longer than 200"
 * hopRowProblem(row) // null
 */
export function hopRowProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not an object";
  const r = value as Record<string, unknown>;
  for (const [column, max] of Object.entries(HOP_TEXT_LIMITS) as [TextColumn, number][]) {
    const v = r[column];
    if (v === null || v === undefined) {
      if (REQUIRED.includes(column)) return `${column}: missing`;
      continue;
    }
    if (typeof v !== "string") return `${column}: not a string`;
    if (v.length > max) return `${column}: longer than ${max}`;
    if (REQUIRED.includes(column) && v.length === 0) return `${column}: empty`;
    if (column !== "detail" && v.search(UNSAFE) >= 0)
      return `${column}: control character or lone surrogate`;
    if (KEY_COLUMNS.has(column) && v.search(UNSAFE_IN_KEY) >= 0)
      return `${column}: quote, backslash, @, ~ or :`;
  }
  if (typeof r.at !== "number" || !Number.isFinite(r.at)) return "at: not a number";
  // The archive files a row under the hour of `at` and the rollups under `day`: both must be
  // real and agree, or the row would throw in the batch's transaction or count on a day no
  // export shows. `day` is the day of `at` in the writer's reporting time zone, which a message
  // written before a change of zone may not share with the consumer: any zone's day is taken.
  if (!Number.isSafeInteger(r.at) || r.at < 0 || r.at > MAX_DATE_MS) return "at: not a time";
  if (!DAY.test(r.day as string)) return "day: not YYYY-MM-DD";
  if (!dayOfAtSomewhere(r.at, r.day as string)) return "day: not the day of at";
  if (!KINDS.has(r.kind as string)) return "kind: unknown";
  if (!HOPS.has(r.hop as string)) return "hop: unknown";
  if (r.bot !== 0 && r.bot !== 1) return "bot: not 0 or 1";
  const ms = r.ms_since_created;
  if (ms !== null && ms !== undefined && (typeof ms !== "number" || !Number.isFinite(ms)))
    return "ms_since_created: not a number";
  return null;
}
