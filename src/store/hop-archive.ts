/**
 * The raw hop history in R2 (`HOP_ARCHIVE`): gzip NDJSON objects, one per consumer batch and
 * UTC hour of its hops, under Hive-style partitions so DuckDB, ClickHouse, Spark or R2 SQL read
 * them as a table:
 *
 *   hops/dt=YYYY-MM-DD/hr=HH/<batch id>.ndjson.gz     one hop row (HOP_COLUMNS) a line
 *
 * Only rows the consumer counted go in (it writes after its D1 commit, see hop-ingest.ts), so
 * the archive holds every hop exactly once. D1's `hop_objects` lists the objects for the export;
 * retention deletes whole days. See docs/storage.md.
 */
import { HOP_COLUMNS, type HopRow } from "../core/hop-row";

/** A partition hour: `YYYY-MM-DDTHH` (UTC). */
export type ArchiveHour = string;

/**
 * The hour of a row (from its `at`).
 *
 * @example
 * hourOf({ at: Date.UTC(2026, 11, 6, 5, 30) }) // "2026-12-06T05"
 */
export function hourOf(row: Pick<HopRow, "at">): ArchiveHour {
  return new Date(row.at).toISOString().slice(0, 13);
}

/**
 * The R2 key of a batch's object for one hour.
 *
 * @example
 * archiveKey("2026-12-06T05", "mbx2k1a00abc") // "hops/dt=2026-12-06/hr=05/mbx2k1a00abc.ndjson.gz"
 */
export function archiveKey(hour: ArchiveHour, batchId: string): string {
  return `hops/dt=${hour.slice(0, 10)}/hr=${hour.slice(11, 13)}/${batchId}.ndjson.gz`;
}

/**
 * The key prefix of a day's objects (for retention).
 *
 * @example
 * dayPrefix("2026-12-06") // "hops/dt=2026-12-06/"
 */
export function dayPrefix(day: string): string {
  return `hops/dt=${day}/`;
}

/**
 * Rows as NDJSON, columns in {@link HOP_COLUMNS} order, `detail` as parsed JSON.
 *
 * @example
 * toNdjson([row]) // '{"event_id":"…","at":…,…}\n'
 */
export function toNdjson(rows: readonly HopRow[]): string {
  let out = "";
  for (const row of rows) out += `${JSON.stringify(exportedRow(row))}\n`;
  return out;
}

/**
 * A row as exported: every column, `detail` parsed back into JSON.
 *
 * @example
 * exportedRow(row).detail // { via: "page" }
 */
export function exportedRow(row: HopRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of HOP_COLUMNS) out[column] = row[column] ?? null;
  if (typeof row.detail === "string") {
    try {
      out.detail = JSON.parse(row.detail);
    } catch {
      out.detail = row.detail;
    }
  }
  return out;
}

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

/**
 * Write one archive object (gzip NDJSON text). Writing the same key again replaces it with
 * the same bytes, so a retried write is harmless.
 *
 * @example
 * await putArchiveObject(env.HOP_ARCHIVE, key, toNdjson(rows));
 */
export async function putArchiveObject(bucket: R2Bucket, key: string, ndjson: string) {
  await bucket.put(key, await gzip(ndjson), {
    httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
  });
}

/**
 * The rows of an archive object as exported objects (in written order); null when missing.
 *
 * @example
 * const rows = await readArchiveObject(env.HOP_ARCHIVE, key);
 */
export async function readArchiveObject(
  bucket: R2Bucket,
  key: string,
): Promise<Record<string, unknown>[] | null> {
  const object = await bucket.get(key);
  if (!object) return null;
  const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text();
  const rows: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) if (line) rows.push(JSON.parse(line));
  return rows;
}

/**
 * The oldest `limit` days that have archive objects in R2 (`YYYY-MM-DD`, oldest first), from
 * one list of the day prefixes.
 *
 * @example
 * await archivedDays(env.HOP_ARCHIVE, 7); // ["2026-09-01", "2026-09-02"]
 */
export async function archivedDays(bucket: R2Bucket, limit: number): Promise<string[]> {
  const page = await bucket.list({ prefix: "hops/dt=", delimiter: "/", limit });
  return page.delimitedPrefixes.flatMap((p) => {
    const day = /^hops\/dt=(\d{4}-\d{2}-\d{2})\/$/.exec(p)?.[1];
    return day ? [day] : [];
  });
}

/**
 * Delete every archive object of `day`. Returns how many were deleted.
 *
 * @example
 * await deleteArchiveDay(env.HOP_ARCHIVE, "2026-09-01");
 */
export async function deleteArchiveDay(bucket: R2Bucket, day: string): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: dayPrefix(day), cursor, limit: 1000 });
    const keys = page.objects.map((o) => o.key);
    if (keys.length) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}
