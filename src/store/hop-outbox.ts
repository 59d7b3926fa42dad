/**
 * The hop outbox: hops recorded by the concurrent requests of one isolate travel to the `HOPS`
 * queue together, one `sendBatch` every ~20 ms instead of one per request, packed into as few
 * `{t: "hops", rows}` messages as fit under 64 KB each (Queues bills an operation per 64 KB of a
 * message, for its write, read and delete alike: the ~40 rows of a busy window are one message).
 *
 * One request is the flusher: the first to find no flusher at work keeps its `waitUntil` open
 * and, window after window (~20 ms), sends what is waiting, until the box is empty or its
 * shift ends ({@link SHIFT_MS}). Every other request only appends its rows: no timer, no
 * `waitUntil`, no promise of another request.
 *
 * Nothing is dropped: rows leave the box only once a `sendBatch` carrying them has succeeded.
 * A failed send is retried with backoff; if the flusher gives up or its context goes away
 * silently, the next request after {@link TAKEOVER_MS} becomes the flusher and sends what is
 * left. A row may then be sent twice; hop inserts are idempotent on `event_id`, so it is
 * counted once.
 */
import { HOP_COLUMNS } from "../core/hop-row";
import type { HopMessage, HopRow, WaitUntil } from "./hops";

interface Outbox {
  /** Rows not yet confirmed sent, oldest first. */
  rows: HopRow[];
  /** The request flushing now, or null. */
  flusher: Flusher | null;
}

interface Flusher {
  /** Last sign of life (unix ms): when it started, or last sent a batch. */
  alive: number;
}

/** How long rows wait for company before the flusher sends the lot. */
export const FLUSH_AFTER_MS = 20;
/** A flusher silent for this long is presumed gone; the next request takes over. */
export const TAKEOVER_MS = 2_000;
/** How long one request stays the flusher under steady traffic (its `waitUntil` stays open). */
export const SHIFT_MS = 10_000;
/** Rows per flush at most (a flush is also capped by {@link BATCH_BYTES}). */
const MAX_BATCH = 200;
/**
 * Bytes per message, estimated ({@link estimatedRowBytes}): under the 64 KB that Queues bills as
 * one operation (a message may be 128 KB, but then costs two of each operation).
 */
export const MESSAGE_BYTES = 60_000;
/** Bytes per `sendBatch`, estimated: under its 256 KB limit. */
export const BATCH_BYTES = 240_000;
/** Sends of one batch before the flusher gives up (its rows stay for the next flusher). */
const ATTEMPTS = 3;

const outboxes = new WeakMap<Queue<unknown>, Outbox>();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Hand rows to the isolate's outbox for `queue`. The first request of a window also sends them
 * (inside its `waitUntil`); the others return at once.
 *
 * @example
 * sendHopsTogether(env.HOPS, c.executionCtx, rows);
 */
export function sendHopsTogether(queue: Queue<unknown>, ctx: WaitUntil, rows: HopRow[]): void {
  let box = outboxes.get(queue);
  if (!box) {
    box = { rows: [], flusher: null };
    outboxes.set(queue, box);
  }
  for (const row of rows) box.rows.push(row);
  const now = Date.now();
  if (box.flusher && now - box.flusher.alive < TAKEOVER_MS) return;
  const me: Flusher = { alive: now };
  box.flusher = me;
  ctx.waitUntil(
    flushAll(queue, box, me).catch((err) => console.error("qrbridge: could not queue hops", err)),
  );
}

/**
 * The flusher: each window, wait for company, then send; until the box is empty, someone took
 * over, or its shift is over (a `waitUntil` may not run forever): then it sends all that is in
 * the box and leaves the rows that come later to a new flusher.
 */
async function flushAll(queue: Queue<unknown>, box: Outbox, me: Flusher): Promise<void> {
  const shiftEnds = me.alive + SHIFT_MS;
  try {
    while (box.rows.length > 0 && box.flusher === me) {
      // Rows that came in during the last send wait for a window's worth of company too,
      // rather than going out at once a few at a time.
      if (box.rows.length < MAX_BATCH) await sleep(FLUSH_AFTER_MS);
      if (box.flusher !== me) break; // another request took over while this one slept
      const retiring = Date.now() >= shiftEnds;
      if (retiring) box.flusher = null; // rows that come from now on get a new flusher
      const rows = retiring ? box.rows.slice() : box.rows.slice(0, batchEnd(box.rows, 0));
      for (let start = 0; start < rows.length; ) {
        const end = batchEnd(rows, start);
        const batch = rows.slice(start, end);
        await sendWithRetry(queue, batch);
        const sent = new Set(batch);
        box.rows = box.rows.filter((r) => !sent.has(r));
        me.alive = Date.now();
        start = end;
      }
    }
  } finally {
    if (box.flusher === me) box.flusher = null;
  }
}

async function sendWithRetry(queue: Queue<unknown>, rows: HopRow[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.sendBatch(messages(rows));
      return;
    } catch (err) {
      if (attempt >= ATTEMPTS) throw err; // the rows stay in the box for the next flusher
      console.error("qrbridge: hop batch send failed, retrying", err);
      await sleep(50 * 2 ** attempt);
    }
  }
}

/** The rows as `{t: "hops", rows}` messages of at most MESSAGE_BYTES (estimated) each. */
function messages(rows: HopRow[]): MessageSendRequest<HopMessage>[] {
  const out: MessageSendRequest<HopMessage>[] = [];
  for (let start = 0; start < rows.length; ) {
    const end = packEnd(rows, start, rows.length, MESSAGE_BYTES);
    // The default content type (v8 serialization): the local queue broker then stores the
    // bytes as they are, where "json" made it parse and re-stringify every message.
    out.push({ body: { t: "hops", rows: rows.slice(start, end) } });
    start = end;
  }
  return out;
}

/** Where the `sendBatch` that starts at `start` ends: ≤ MAX_BATCH rows and ≤ BATCH_BYTES. */
function batchEnd(rows: HopRow[], start: number): number {
  return packEnd(rows, start, MAX_BATCH, BATCH_BYTES);
}

/** The end of the run of rows from `start` that fits `maxRows` and `maxBytes` (at least one row). */
function packEnd(rows: HopRow[], start: number, maxRows: number, maxBytes: number): number {
  let end = start;
  let bytes = 0;
  while (end < rows.length && end - start < maxRows) {
    bytes += estimatedRowBytes(rows[end]!);
    if (bytes > maxBytes && end > start) break;
    end++;
  }
  return end;
}

/**
 * An upper bound of the bytes a row takes in a queue message (v8 serialization): each
 * property's name and value, strings counted at two bytes a character (UTF-16 when any
 * character is beyond Latin-1), numbers at nine, plus framing. A scan's row comes to ~0.7 KB
 * by this count, and is ~0.4 KB.
 *
 * @example
 * estimatedRowBytes(buildHop({ kind: "poster", subject_id: "7K2M9Q", hop: "scanned" }, null, salt)) // ~500
 */
export function estimatedRowBytes(row: HopRow): number {
  let bytes = 16;
  for (const column of HOP_COLUMNS) {
    const value = row[column];
    bytes += column.length + 4 + (typeof value === "string" ? 2 * value.length : 9);
  }
  return bytes;
}
