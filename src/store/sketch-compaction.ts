/**
 * The cron's part of the unique-scanner sketches (core/rollup-sketches.ts): a finished day's
 * JSON sketches are rewritten in compact form, and its compact sketches are folded into its
 * month rows. Both are read-modify-write in JS, so each write is a compare-and-set on what was
 * read: a consumer that merged a late hop into the row meanwhile makes the write change nothing,
 * and the row is read again (the hop is then part of what is compacted). Unions are
 * register-wise max, so redoing any step after a crash counts nothing twice.
 *
 * Every statement binds a handful of parameters, the rows it writes travel as one JSON value of
 * at most ~1 MB (D1: 100 bound parameters, 2 MB per value), and rows are read in chunks by
 * primary key, so a step costs O(rows it handles) rows read.
 */
import { compactSketches } from "../core/rollup-sketches";
import type { RollupTable } from "./hop-rollups";

/** Rows read per query. */
const CHUNK_ROWS = 200;
/** Characters of JSON bound to one write statement (D1 takes up to 2 MB per value). */
const CHUNK_CHARS = 900_000;
/** Times a chunk whose compare-and-set lost a race is read again within one run. */
const RETRIES = 3;

/** Each table's first key column (day or month) and the key columns after it. */
const KEYS: Record<RollupTable, { first: string; rest: readonly string[] }> = {
  hop_rollups: { first: "day", rest: ["kind", "store_id", "campaign_id", "poster_id"] },
  hop_rollups_total: { first: "day", rest: ["kind"] },
  hop_rollups_month: { first: "month", rest: ["kind", "store_id", "campaign_id", "poster_id"] },
};

type Row = Record<string, string | null>;

/** `(a, b) > (?2, ?3)`: the rows after a key, for reading a day's rows in chunks. */
function after(rest: readonly string[], prefix = ""): string {
  const cols = rest.map((c) => `${prefix}${c}`).join(", ");
  const args = rest.map((_, i) => `?${i + 2}`).join(", ");
  return `(${cols}) > (${args})`;
}

/**
 * `WITH u AS MATERIALIZED (…) UPDATE <table> AS r … FROM u WHERE r.<first> = ?1 AND <keys> AND
 * <guard>`: an update of the rows of `entries` (JSON `?2`) whose key and `guard` match. The CTE is
 * materialized so that SQLite walks the entries and finds each row by its primary key: left to
 * itself it walks the day's rows and, for each, every entry (quadratic, and each `->>` parses
 * the entry again).
 */
function updateSql(
  table: RollupTable,
  fields: readonly string[],
  set: string,
  guard: string,
): string {
  const { first, rest } = KEYS[table];
  const columns = [...rest, ...fields].map((c) => `value ->> '${c}' AS ${c}`).join(", ");
  const keys = rest.map((c) => `r.${c} = u.${c}`).join(" AND ");
  return `WITH u AS MATERIALIZED (SELECT ${columns} FROM json_each(?2))
UPDATE ${table} AS r SET ${set}
FROM u WHERE r.${first} = ?1 AND ${keys} AND ${guard}`;
}

/** Run `sql` over `entries` bound as JSON chunks of at most CHUNK_CHARS; total rows changed. */
async function writeChunks(
  db: D1Database,
  sql: string,
  first: string,
  entries: readonly object[],
): Promise<number> {
  let changed = 0;
  let chunk: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const result = await db
      .prepare(sql)
      .bind(first, `[${chunk.join(",")}]`)
      .run();
    changed += result.meta.changes ?? 0;
    chunk = [];
    chars = 0;
  };
  for (const entry of entries) {
    const json = JSON.stringify(entry);
    if (chars + json.length > CHUNK_CHARS) await flush();
    chunk.push(json);
    chars += json.length + 1;
  }
  await flush();
  return changed;
}

/** What a step did: rows written, and whether it got to the end. */
export interface StepResult {
  rows: number;
  done: boolean;
}

/**
 * Rewrite the JSON sketches of `table`'s rows of `at` (a day, or a month of
 * `hop_rollups_month`) in compact form — compact = old compact ∪ JSON, `scanners` reset to
 * `'{}'` — at most `budget` rows. Rows already compact are not read again, so a run that
 * stopped midway resumes where it was.
 *
 * @example
 * await compactRows(env.DB, "hop_rollups", "2026-12-04", 20_000); // { rows: 1890, done: true }
 */
export async function compactRows(
  db: D1Database,
  table: RollupTable,
  at: string,
  budget: number,
): Promise<StepResult> {
  const { first, rest } = KEYS[table];
  const cols = rest.join(", ");
  const write = updateSql(
    table,
    ["scanners", "sketch_all", "sketch_dims", "a", "d"],
    "sketch_all = u.a, sketch_dims = u.d, scanners = '{}'",
    "r.scanners = u.scanners AND r.sketch_all IS u.sketch_all AND r.sketch_dims IS u.sketch_dims",
  );
  let rows = 0;
  for (let pass = 0; pass < RETRIES; pass++) {
    let cursor: (string | null)[] | null = null;
    let lost = 0;
    for (;;) {
      const limit = Math.min(CHUNK_ROWS, budget - rows);
      if (limit <= 0) return { rows, done: false };
      const { results }: { results: Row[] } = await db
        .prepare(
          `SELECT ${cols}, scanners, sketch_all, sketch_dims FROM ${table}
           WHERE ${first} = ?1 AND scanners <> '{}'${cursor ? ` AND ${after(rest)}` : ""}
           ORDER BY ${cols} LIMIT ${limit}`,
        )
        .bind(at, ...(cursor ?? []))
        .all<Row>();
      if (results.length === 0) break;
      const entries = results.map((r) => {
        const compact = compactSketches([
          {
            scanners: r.scanners ?? "{}",
            sketch_all: r.sketch_all ?? null,
            sketch_dims: r.sketch_dims ?? null,
          },
        ]);
        return { ...r, a: compact.sketch_all, d: compact.sketch_dims };
      });
      const changed = await writeChunks(db, write, at, entries);
      rows += changed;
      lost += results.length - changed;
      const last: Row = results[results.length - 1]!;
      cursor = rest.map((c) => last[c] ?? null);
    }
    // A row a consumer changed between the read and the write is read again from the start.
    if (lost === 0) return { rows, done: true };
  }
  return { rows, done: false };
}

/**
 * Fold the compact sketches of a day's poster rows into their month rows' compact sketches
 * (month = month ∪ day; a month row that does not exist yet is made). A month row that already
 * holds the day's sketch is left alone, so folding a day again writes nothing. The whole day is
 * folded in one call, whatever the budget, after the day's claim, which marks it done only then
 * (store/rollup-compaction.ts); `done` is false when a row lost its compare-and-set race too many
 * times (the day is then tried in the next run).
 *
 * @example
 * await foldDaySketches(env.DB, "2026-12-04"); // { rows: 1890, done: true }
 */
export async function foldDaySketches(db: D1Database, day: string): Promise<StepResult> {
  const month = day.slice(0, 7);
  const { rest } = KEYS.hop_rollups;
  const cols = rest.join(", ");
  const insert = `INSERT OR IGNORE INTO hop_rollups_month (month, ${cols}, sketch_all, sketch_dims)
SELECT ?1, ${rest.map((c) => `u.value ->> '${c}'`).join(", ")}, u.value ->> 'a', u.value ->> 'd'
FROM json_each(?2) AS u`;
  const update = updateSql(
    "hop_rollups_month",
    ["sketch_all", "sketch_dims", "a", "d"],
    "sketch_all = u.a, sketch_dims = u.d",
    "r.sketch_all IS u.sketch_all AND r.sketch_dims IS u.sketch_dims",
  );
  let rows = 0;
  let cursor: (string | null)[] | null = null;
  let tries = 0;
  for (;;) {
    const { results }: { results: (Row & { found: number })[] } = await db
      .prepare(
        `SELECT ${rest.map((c) => `d.${c}`).join(", ")},
                d.sketch_all AS day_all, d.sketch_dims AS day_dims,
                m.sketch_all, m.sketch_dims, m.month IS NOT NULL AS found
         FROM hop_rollups d LEFT JOIN hop_rollups_month m
           ON m.month = substr(d.day, 1, 7) AND ${rest.map((c) => `m.${c} = d.${c}`).join(" AND ")}
         WHERE d.day = ?1 AND (d.sketch_all IS NOT NULL OR d.sketch_dims IS NOT NULL)
           ${cursor ? `AND ${after(rest, "d.")}` : ""}
         ORDER BY ${rest.map((c) => `d.${c}`).join(", ")} LIMIT ${CHUNK_ROWS}`,
      )
      .bind(day, ...(cursor ?? []))
      .all<Row & { found: number }>();
    if (results.length === 0) return { rows, done: true };
    const inserts: object[] = [];
    const updates: object[] = [];
    for (const r of results) {
      const union = compactSketches([
        { sketch_all: r.sketch_all ?? null, sketch_dims: r.sketch_dims ?? null },
        { sketch_all: r.day_all ?? null, sketch_dims: r.day_dims ?? null },
      ]);
      if (union.sketch_all === r.sketch_all && union.sketch_dims === r.sketch_dims) continue;
      const key = Object.fromEntries(rest.map((c) => [c, r[c]]));
      const entry = { ...key, a: union.sketch_all, d: union.sketch_dims };
      if (r.found) updates.push({ ...entry, sketch_all: r.sketch_all, sketch_dims: r.sketch_dims });
      else inserts.push(entry);
    }
    const changed =
      (await writeChunks(db, insert, month, inserts)) +
      (await writeChunks(db, update, month, updates));
    rows += changed;
    if (changed < inserts.length + updates.length) {
      // A concurrent fold wrote one of these rows first: read the same chunk again.
      if (++tries >= RETRIES) return { rows, done: false };
      continue;
    }
    tries = 0;
    const last: Row = results[results.length - 1]!;
    cursor = rest.map((c) => last[c] ?? null);
  }
}
