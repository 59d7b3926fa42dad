/**
 * The hop outbox: hops recorded by the concurrent requests of one isolate travel to the `HOPS`
 * queue together, one `sendBatch` every ~20 ms instead of one per request, as `{t: "hops", rows}`
 * messages of up to 20 rows (the queue and its consumer then handle one message, not dozens). Measured under
 * `wrangler dev` (bench/hops.mjs), the queue call, not building the row, is what logging costs
 * the scan path, and it costs about the same for one message as for a batch.
 *
 * No request ever awaits a promise of another request (workerd cancels such continuations when
 * the other request ends): each request waits, in its own context, until the rows it handed in
 * are marked sent. If the request that took them fails or goes away, the owner sends its own
 * rows itself. A row may then be sent twice; hop inserts are idempotent on `event_id`, so it is
 * counted once. Nothing is dropped.
 */
import type { HopMessage, HopRow, WaitUntil } from "./hops";

/** Rows one request handed in, and where they are on their way. */
interface Parcel {
  rows: HopRow[];
  state: "waiting" | "sending" | "sent";
}

interface Outbox {
  waiting: Parcel[];
  rows: number;
}

/** How long a request's rows wait for company before someone sends the lot. */
export const FLUSH_AFTER_MS = 20;
/**
 * Rows per flush, and per message. A row is ~0.5 KiB (at most ~2.7 KiB with a full `detail`):
 * 20 rows stay under a message's 128 KB and 60 under a `sendBatch`'s 256 KB.
 */
const MAX_BATCH = 60;
const ROWS_PER_MESSAGE = 20;
/** How long an owner trusts another request to confirm its rows before sending them itself. */
const CONFIRM_WITHIN_MS = 5_000;

const outboxes = new WeakMap<Queue<unknown>, Outbox>();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Hand rows to the isolate's outbox for `queue`; the request's `waitUntil` covers their delivery.
 *
 * @example
 * sendHopsTogether(env.HOPS, c.executionCtx, rows);
 */
export function sendHopsTogether(queue: Queue<unknown>, ctx: WaitUntil, rows: HopRow[]): void {
  let box = outboxes.get(queue);
  if (!box) {
    box = { waiting: [], rows: 0 };
    outboxes.set(queue, box);
  }
  const parcel: Parcel = { rows, state: "waiting" };
  box.waiting.push(parcel);
  box.rows += rows.length;
  ctx.waitUntil(
    deliver(queue, box, parcel).catch((err) =>
      console.error("qrbridge: could not queue hops", err),
    ),
  );
}

async function deliver(queue: Queue<unknown>, box: Outbox, own: Parcel): Promise<void> {
  if (box.rows < MAX_BATCH) await sleep(FLUSH_AFTER_MS);
  for (let attempt = 1; own.state === "waiting" && attempt <= 3; attempt++) {
    try {
      await flush(queue, box);
    } catch (err) {
      console.error("qrbridge: hop batch send failed, retrying", err);
      await sleep(50 * attempt);
    }
  }
  const deadline = Date.now() + CONFIRM_WITHIN_MS;
  while (own.state === "sending" && Date.now() < deadline) await sleep(10);
  if (own.state === "sent") return;
  // Whoever took our rows failed or vanished, or sending kept failing: send them ourselves.
  const at = box.waiting.indexOf(own);
  if (at >= 0) {
    box.waiting.splice(at, 1);
    box.rows -= own.rows.length;
  }
  await queue.sendBatch(messages(own.rows));
  own.state = "sent";
}

/** Take up to one batch of waiting parcels (the oldest first) and send them, in this context. */
async function flush(queue: Queue<unknown>, box: Outbox): Promise<void> {
  const taken: Parcel[] = [];
  let count = 0;
  while (box.waiting.length > 0 && count + box.waiting[0]!.rows.length <= MAX_BATCH) {
    const parcel = box.waiting.shift()!;
    count += parcel.rows.length;
    taken.push(parcel);
  }
  if (taken.length === 0) taken.push(box.waiting.shift()!); // a parcel larger than a batch
  box.rows -= taken.reduce((n, p) => n + p.rows.length, 0);
  for (const parcel of taken) parcel.state = "sending";
  try {
    await queue.sendBatch(messages(taken.flatMap((p) => p.rows)));
    for (const parcel of taken) parcel.state = "sent";
  } catch (err) {
    // Hand the parcels back: the next flush takes them, or each owner sends its own.
    for (const parcel of taken) parcel.state = "waiting";
    box.waiting.unshift(...taken);
    box.rows += count;
    throw err;
  }
}

/** The rows as `{t: "hops", rows}` messages of at most ROWS_PER_MESSAGE rows. */
function messages(rows: HopRow[]): MessageSendRequest<HopMessage>[] {
  const out: MessageSendRequest<HopMessage>[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
    out.push({
      body: { t: "hops", rows: rows.slice(i, i + ROWS_PER_MESSAGE) },
      contentType: "json",
    });
  }
  return out;
}
