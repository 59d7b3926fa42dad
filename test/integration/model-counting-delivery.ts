// How the model-based counting test (model-counting.test.ts) hands its requests' messages to the
// Worker's real queue handler: as a queue on a busy day would — shuffled, in batches of random
// sizes, two or three consumers at a time now and then, batches that were counted but not
// acknowledged delivered again, messages a consumer retried delivered again, copies the writer
// sent again after a send whose answer was lost, batches D1 refused (nothing of them counted:
// retried), messages whose retries ran out (the dead-letter queue stores them; an operator
// replays them, sometimes twice at once).
import { ADMIN_KEY, call } from "./helpers";
import { failingBatchDb, runQueue, testEnv } from "./hop-helpers";
import type { Rng, SentRequest } from "./model-counting-traffic";

export type QueueMessage = { id: string; timestamp: Date; attempts: number; body: unknown };

/** A message retried at this attempt goes to the dead-letter queue; none is redelivered past it. */
const MAX_ATTEMPTS = 4;

/** A spooled copy of a request: the writer put it in R2 when the queue refused it. */
export type Spooled = { key: string; body: unknown };

/**
 * The messages the queue gets for `requests`: each request's message, and for about a quarter
 * a copy marked `again` (the writer's retry after a send whose answer was lost) — delivered
 * with the first (the first was taken after all) or instead of it (the first was not); with
 * `spool`, the copy may instead be in the R2 spool (the queue kept refusing), for the cron.
 */
export function messagesOf(
  r: Rng,
  requests: readonly SentRequest[],
  spool: boolean,
): { messages: QueueMessage[]; spooled: Spooled[] } {
  const messages: QueueMessage[] = [];
  const spooled: Spooled[] = [];
  for (const req of requests) {
    const first = {
      id: `q-${req.id}`,
      timestamp: new Date(req.at),
      attempts: 1,
      body: { t: "hops", id: req.id, rows: req.rows },
    };
    if (!r.chance(0.25)) {
      messages.push(first);
      continue;
    }
    const body = { ...first.body, again: true };
    const taken = r.chance(0.6);
    if (taken) messages.push(first);
    if (spool && r.chance(0.5)) spooled.push({ key: `spool/${req.id}.json`, body });
    else
      messages.push({
        ...first,
        id: `q-${req.id}-again`,
        timestamp: new Date(req.at + r.int(50, 300)),
        body,
      });
  }
  return { messages, spooled };
}

/** What a delivery did, for the run's log. */
export interface DeliveryLog {
  batches: number;
  redelivered: number;
  retried: number;
  /** Batches run while D1 refused every transaction. */
  failed: number;
  /** Messages whose retries ran out, replayed from the dead letters. */
  dead: number;
}

const FAILING = { ...testEnv, DB: failingBatchDb(testEnv.DB) };

/**
 * Deliver `messages` until none is left to deliver: shuffled batches of 1..`maxBatch`, sometimes
 * two or three at once; a counted batch delivered again (attempts + 1) a quarter of the time,
 * right away or later among the others; a message the handler retried delivered again (or, at
 * its last attempt, to the dead letters); one batch in 12 while D1 refuses every write.
 */
export async function deliver(
  r: Rng,
  messages: readonly QueueMessage[],
  maxBatch: number,
): Promise<DeliveryLog> {
  const log: DeliveryLog = { batches: 0, redelivered: 0, retried: 0, failed: 0, dead: 0 };
  const dead: QueueMessage[] = [];
  const waiting = r.shuffle(messages);
  const again = (m: QueueMessage) => ({ ...m, attempts: m.attempts + 1 });
  const take = (): QueueMessage[] => {
    const size = r.int(1, maxBatch);
    const batch: QueueMessage[] = [];
    // One delivery of a message per batch: the queue never hands the same id out twice at once.
    while (batch.length < size && waiting.length) {
      const i = waiting.findIndex((m) => !batch.some((b) => b.id === m.id));
      if (i < 0) break;
      batch.push(...waiting.splice(i, 1));
    }
    return batch;
  };
  while (waiting.length) {
    // One consumer, now and then two or three at once.
    const batches = [take()];
    for (const p of [0.3, 0.15]) if (waiting.length && r.chance(p)) batches.push(take());
    log.batches += batches.length;
    const failing = batches.map(() => r.chance(0.08));
    log.failed += failing.filter(Boolean).length;
    const results = await Promise.all(
      batches.map((b, i) => runQueue("qrbridge-hops", b, failing[i] ? FAILING : testEnv)),
    );
    for (const [i, result] of results.entries()) {
      const batch = batches[i]!;
      const retried = new Set(
        result.retryBatch.retry ? batch.map((m) => m.id) : result.retryMessages.map((m) => m.msgId),
      );
      for (const m of batch) {
        if (retried.has(m.id)) {
          if (!failing[i]) log.retried += 1;
          // Its retries run out at the last attempt, and now and then sooner (as if D1 had
          // refused it every time): the dead-letter queue gets it.
          if (m.attempts >= MAX_ATTEMPTS || (failing[i] && r.chance(0.3))) dead.push(m);
          else waiting.splice(r.int(0, waiting.length), 0, again(m));
        } else if (failing[i]) {
          throw new Error(`message ${m.id} acknowledged while D1 refused every write`);
        } else if (m.attempts < MAX_ATTEMPTS && r.chance(0.25)) {
          // Counted, but the acknowledgement was lost: the queue hands it out again.
          log.redelivered += 1;
          waiting.splice(r.chance(0.5) ? 0 : r.int(0, waiting.length), 0, again(m));
        }
      }
    }
  }
  if (dead.length) await replayDead(r, dead);
  log.dead = dead.length;
  return log;
}

/**
 * The dead-letter queue's consumer stores `dead`; the operator replays every letter, some in
 * two calls at once: each counts once, and exactly one call reports it replayed.
 */
async function replayDead(r: Rng, dead: readonly QueueMessage[]): Promise<void> {
  const stored = await runQueue("qrbridge-hops-dlq", [...dead]);
  if (stored.retryBatch.retry || stored.retryMessages.length)
    throw new Error("the dead-letter queue's consumer refused a letter");
  const ids = dead.map((m) => m.id);
  const replay = async (list: string[]) => {
    const res = await call("/v1/dead-letters/replay", {
      method: "POST",
      key: ADMIN_KEY,
      json: { ids: list },
    });
    if (res.status !== 200) throw new Error(`replay: ${res.status} ${await res.text()}`);
    return (await res.json()) as { replayed: number; skipped: { id: string; reason: string }[] };
  };
  const twice = r.chance(0.5);
  const reports = await Promise.all(twice ? [replay(ids), replay(ids)] : [replay(ids)]);
  const replayed = reports.reduce((n, rep) => n + rep.replayed, 0);
  const skipped = reports.flatMap((rep) => rep.skipped);
  // A letter whose rows a resent copy counted first is still replayed: it counts nothing. The
  // call that finds it replayed says so in its words of the moment (store/dead-letters.ts).
  // A row no store accepts in a replayed message becomes a letter of its own (docs/stats.md).
  const late = ["already replayed", "not found or already replayed"];
  const fine = (s: { reason: string }) =>
    late.includes(s.reason) || s.reason.startsWith("set aside as a letter of its own: ");
  if (replayed !== ids.length || !skipped.every(fine))
    throw new Error(`replay of ${ids.length}: ${JSON.stringify(reports)}`);
}
