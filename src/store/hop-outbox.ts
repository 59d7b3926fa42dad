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
      // Retiring sends all that is waiting; otherwise one sendBatch's worth.
      const rows = box.rows.slice();
      for (let start = 0; start < rows.length; ) {
        const batch = nextBatch(rows, start);
        await sendWithRetry(queue, batch.messages);
        const sent = new Set(rows.slice(start, batch.end));
        box.rows = box.rows.filter((r) => !sent.has(r));
        me.alive = Date.now();
        if (!retiring) break;
        start = batch.end;
      }
    }
  } finally {
    if (box.flusher === me) box.flusher = null;
  }
}

async function sendWithRetry(
  queue: Queue<unknown>,
  messages: MessageSendRequest<HopMessage>[],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.sendBatch(messages);
      return;
    } catch (err) {
      if (attempt >= ATTEMPTS) throw err; // the rows stay in the box for the next flusher
      console.error("qrbridge: hop batch send failed, retrying", err);
      await sleep(50 * 2 ** attempt);
    }
  }
}

/**
 * The sendBatch that starts at `rows[start]`: up to MAX_BATCH rows and BATCH_BYTES, as
 * `{t: "hops", rows}` messages of up to MESSAGE_BYTES each (sizes estimated once per row, see
 * {@link estimatedRowBytes}), and the index where it ends. It always takes at least one row.
 */
function nextBatch(
  rows: HopRow[],
  start: number,
): { messages: MessageSendRequest<HopMessage>[]; end: number } {
  const messages: MessageSendRequest<HopMessage>[] = [];
  // The default content type (v8 serialization): the local queue broker then stores the
  // bytes as they are, where "json" made it parse and re-stringify every message.
  const close = (from: number, to: number) =>
    messages.push({ body: { t: "hops", rows: rows.slice(from, to) } });
  let end = start;
  let messageStart = start;
  let batchBytes = 0;
  let messageBytes = 0;
  for (; end < rows.length && end - start < MAX_BATCH; end++) {
    const bytes = estimatedRowBytes(rows[end]!);
    if (end > start && batchBytes + bytes > BATCH_BYTES) break;
    if (end > messageStart && messageBytes + bytes > MESSAGE_BYTES) {
      close(messageStart, end);
      messageStart = end;
      messageBytes = 0;
    }
    batchBytes += bytes;
    messageBytes += bytes;
  }
  close(messageStart, end);
  return { messages, end };
}

/**
 * An upper bound of the bytes a row takes in a queue message (v8 serialization): each
 * property's name and value, strings counted at two bytes a character (UTF-16 when any
 * character is beyond Latin-1), numbers at nine, plus framing. A scan's row comes to ~0.65 KB
 * by this count, and is ~0.42 KB.
 *
 * @example
 * estimatedRowBytes(buildHop({ kind: "poster", subject_id: "7K2M9Q", hop: "scanned" }, null, salt)) // 454
 */
export function estimatedRowBytes(row: HopRow): number {
  let bytes = 16;
  for (const column of HOP_COLUMNS) {
    const value = row[column];
    bytes += column.length + 4 + (typeof value === "string" ? 2 * value.length : 9);
  }
  return bytes;
}
