/**
 * Writing dead letters (`dead_letters`, docs/storage.md): the statement that stores one, those
 * of the rows a replay sets aside, and the consumer of the dead-letter queues. Reading and
 * replaying them is store/dead-letters.ts.
 */
import type { ReplayReport } from "./dead-letters";
import { CLAIMED, CLOCK_SLACK_MS, rememberCountedStatement } from "./hop-claims";
import { hopEnvelopeId, hopIdTime } from "./hop-ids";

/**
 * The statement that stores one dead letter (ignored when its id is stored already).
 *
 * @example
 * await db.batch([deadLetterStatement(db, "spool", { id, body, attempts: 1, error: "unknown message" })]);
 */
export function deadLetterStatement(
  db: D1Database,
  queue: string,
  letter: {
    id: string;
    body: unknown;
    attempts: number;
    error: string | null;
    /** The envelope id of a whole hop message (store/hop-claims.ts `deadCopiesStatement`). */
    envelope?: string;
  },
): D1PreparedStatement {
  const body = letter.body as { t?: unknown } | null;
  return db
    .prepare(
      "INSERT OR IGNORE INTO dead_letters (id, queue, type, body, attempts, error, received_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      letter.id,
      queue,
      typeof body?.t === "string" ? body.t : null,
      JSON.stringify(letter.body ?? null),
      letter.attempts,
      letter.error,
      Date.now(),
      letter.envelope ?? null,
    );
}

/** A bad row of a whole dead-lettered message, to be set aside as a letter of its own. */
export interface RowAside {
  id: string;
  /** The letter an older consumer may have stored for the row (`<queue message id>:<index>`). */
  old: string | null;
  queue: string;
  row: unknown;
  error: string;
}

/**
 * The statements that set each row of a replayed whole message aside (store/dead-letters.ts),
 * each reported in `report.skipped` unless the operator asked for its letter already. A row an
 * older consumer stored under its queue message's id keeps that letter, replayed or not: a second
 * letter under the writer's id would count it again when both are replayed.
 *
 * @example
 * await env.DB.batch(await asideStatements(env.DB, aside, new Set(ids), report));
 */
export async function asideStatements(
  db: D1Database,
  aside: readonly RowAside[],
  asked: ReadonlySet<string>,
  report: Pick<ReplayReport, "skipped">,
): Promise<D1PreparedStatement[]> {
  const olds = aside.flatMap((a) => (a.old ? [a.old] : []));
  const { results } = olds.length
    ? await db
        .prepare(
          "SELECT id, replayed_at FROM dead_letters WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(JSON.stringify(olds))
        .all<{ id: string; replayed_at: number | null }>()
    : { results: [] };
  const stored = new Map(results.map((r) => [r.id, r.replayed_at]));
  const stmts: D1PreparedStatement[] = [];
  for (const a of aside) {
    const old = a.old !== null && stored.has(a.old) ? a.old : null;
    if (old !== null && stored.get(old) !== null) continue; // replayed: the row counted then
    const id = old ?? a.id;
    if (old === null) {
      const letter = { id, body: { t: "hops", rows: [a.row] }, attempts: 1, error: a.error };
      stmts.push(deadLetterStatement(db, a.queue, letter));
    }
    if (!asked.has(id))
      report.skipped.push({ id, reason: `set aside as a letter of its own: ${a.error}` });
  }
  return stmts;
}

/**
 * The statement that stores hop rows set aside by a hop batch (`letters`, one row each), in that
 * batch's transaction: only if the batch was claimed (store/hop-claims.ts), at its time.
 *
 * @example
 * claimedDeadLettersStatement(db, { at, id }, "late", [{ id: "late:ev_3f…", row, error }])
 */
export function claimedDeadLettersStatement(
  db: D1Database,
  batch: { at: number; id: string },
  queue: string,
  letters: readonly { id: string; row: unknown; error: string }[],
): D1PreparedStatement {
  const json = letters.map((l) => ({
    id: l.id,
    body: JSON.stringify({ t: "hops", rows: [l.row] }),
    error: l.error,
  }));
  return db
    .prepare(
      `INSERT OR IGNORE INTO dead_letters (id, queue, type, body, attempts, error, received_at)
       SELECT l.value ->> 'id', ?4, 'hops', l.value ->> 'body', 1, l.value ->> 'error', ?2
       FROM json_each(?1) AS l WHERE ${CLAIMED}`,
    )
    .bind(JSON.stringify(json), batch.at, batch.id, queue);
}

/**
 * The dead-letter consumer: store every message in `dead_letters` (and mark a dead webhook
 * delivery `failed`) in one batch, then acknowledge. If D1 is down, retry. A hop message that
 * was counted before it died (its ack lost, its redeliveries failing) is remembered as counted
 * in the same batch, while the day-long ledger still knows it; one counted later (another copy)
 * is remembered by the batch that counts it, which finds the letter by its `envelope`: either
 * way a replay days later counts nothing (store/hop-claims.ts).
 *
 * @example
 * if (batch.queue.endsWith("-dlq")) return storeDeadLetters(env.DB, batch);
 */
export async function storeDeadLetters(
  db: D1Database,
  batch: MessageBatch<unknown>,
): Promise<void> {
  const stmts: D1PreparedStatement[] = [];
  const hops: { id: string; since: number }[] = [];
  for (const msg of batch.messages) {
    const body = msg.body as { t?: string; id?: unknown } | null;
    const envelope = body?.t === "hops" ? hopEnvelopeId(body, msg.id).id : undefined;
    stmts.push(
      deadLetterStatement(db, batch.queue, {
        id: msg.id,
        body: msg.body,
        attempts: msg.attempts,
        error: "retries exhausted",
        envelope,
      }),
    );
    if (envelope) {
      const sent = Math.min(
        msg.timestamp.getTime(),
        hopIdTime(envelope) ?? Number.POSITIVE_INFINITY,
      );
      hops.push({ id: envelope, since: sent - CLOCK_SLACK_MS });
    }
    if (body?.t === "webhook" && typeof body.id === "string") {
      stmts.push(
        db
          .prepare(
            "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE id = ? AND status != 'delivered'",
          )
          .bind(body.id),
      );
    }
  }
  if (hops.length) stmts.push(rememberCountedStatement(db, hops, Date.now()));
  try {
    await db.batch(stmts);
    console.error(
      `qrbridge: ${batch.messages.length} message(s) dead-lettered from ${batch.queue}; see the dead_letters table`,
    );
    batch.ackAll();
  } catch (err) {
    console.error(`qrbridge: could not store dead letters from ${batch.queue}; retrying`, err);
    batch.retryAll({ delaySeconds: 60 });
  }
}
