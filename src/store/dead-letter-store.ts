/**
 * Writing dead letters (`dead_letters`, docs/storage.md): the statement that stores one, and
 * the consumer of the dead-letter queues. Reading and replaying them is store/dead-letters.ts.
 */

/**
 * The statement that stores one dead letter (ignored when its id is stored already).
 *
 * @example
 * await db.batch([deadLetterStatement(db, "spool", { id, body, attempts: 1, error: "unknown message" })]);
 */
export function deadLetterStatement(
  db: D1Database,
  queue: string,
  letter: { id: string; body: unknown; attempts: number; error: string | null },
): D1PreparedStatement {
  const body = letter.body as { t?: unknown } | null;
  return db
    .prepare(
      "INSERT OR IGNORE INTO dead_letters (id, queue, type, body, attempts, error, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      letter.id,
      queue,
      typeof body?.t === "string" ? body.t : null,
      JSON.stringify(letter.body ?? null),
      letter.attempts,
      letter.error,
      Date.now(),
    );
}

/**
 * The dead-letter consumer: store every message in `dead_letters` (and mark a dead webhook
 * delivery `failed`) in one batch, then acknowledge. If D1 is down, retry.
 *
 * @example
 * if (batch.queue.endsWith("-dlq")) return storeDeadLetters(env.DB, batch);
 */
export async function storeDeadLetters(
  db: D1Database,
  batch: MessageBatch<unknown>,
): Promise<void> {
  const stmts: D1PreparedStatement[] = [];
  for (const msg of batch.messages) {
    stmts.push(
      deadLetterStatement(db, batch.queue, {
        id: msg.id,
        body: msg.body,
        attempts: msg.attempts,
        error: "retries exhausted",
      }),
    );
    const body = msg.body as { t?: string; id?: unknown } | null;
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
