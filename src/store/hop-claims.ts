/**
 * Which hop envelopes were counted: the ledger that makes counting exactly-once (docs/storage.md).
 *
 * - `hop_batches`: each counted consumer batch with the ids of the envelopes it counted, kept a
 *   day; a redelivered message, a resent copy, a spool object or a dead letter is looked up here.
 * - `hop_resent` (0014): the envelopes counted that another copy may follow late — a resent copy
 *   (the writer sent it again after a send whose answer was lost), a replayed dead letter, a
 *   message dead-lettered after it was counted ({@link rememberCountedStatement}) and one counted
 *   while a copy of it waits in the dead letters ({@link deadCopiesStatement}) — kept longer
 *   than a dead letter (31 days); every envelope, a first delivery included, is looked up here by
 *   primary key, so whichever copy comes first, the other counts nothing.
 *
 * {@link claimBatchStatement} opens a batch's transaction; every other statement of it runs only
 * if the claim was recorded ({@link CLAIMED}), so a batch that lost a race changes nothing.
 */

/** How far before a message's time a copy of it counted is looked for (clocks differ a little). */
export const CLOCK_SLACK_MS = 10 * 60_000;

/** SQL true when the batch `?2` (at), `?3` (id) was claimed in this transaction. */
export const CLAIMED = "EXISTS (SELECT 1 FROM hop_batches WHERE at = ?2 AND id = ?3)";

// A copy of a message the writer sent again, counted already (0014): looked up by primary key,
// and only when the table holds anything (it is empty unless a queue refused or failed sends).
const RESENT = `EXISTS (SELECT 1 FROM hop_resent LIMIT 1)
  AND EXISTS (SELECT 1 FROM hop_resent WHERE id IN (SELECT value FROM json_each(?1)))`;

/**
 * Record a batch as counted, with the ids of its messages — unless one of them is a resent
 * copy counted before (`hop_resent`), or one of `check` (the ids that may have been counted
 * before) appears in a batch committed since `since` (unix ms). Its `meta.changes` is 1 when
 * the batch was claimed.
 *
 * @example
 * db.batch([claimBatchStatement(db, { at, id, messages, check: [], since }), …])
 */
export function claimBatchStatement(
  db: D1Database,
  batch: {
    at: number;
    id: string;
    messages: readonly string[];
    check: readonly string[];
    since: number;
  },
): D1PreparedStatement {
  const checked =
    batch.check.length === 0
      ? ""
      : `AND NOT EXISTS (
         SELECT 1 FROM hop_batches b, json_each(b.messages) m
         WHERE b.at >= ?4 AND m.value IN (SELECT value FROM json_each(?5)))`;
  return db
    .prepare(
      `INSERT INTO hop_batches (at, id, messages) SELECT ?2, ?3, ?1
       WHERE NOT (${RESENT}) ${checked}`,
    )
    .bind(
      JSON.stringify(batch.messages),
      batch.at,
      batch.id,
      ...(checked ? [batch.since, JSON.stringify(batch.check)] : []),
    );
}

/**
 * Record the resent envelopes of a claimed batch in `hop_resent`, so that another copy of any
 * of them, even a first delivery, counts nothing.
 *
 * @example
 * resentStatement(db, { at, id }, ["mjv5uo000abcdefghijk"])
 */
export function resentStatement(
  db: D1Database,
  batch: { at: number; id: string },
  ids: readonly string[],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO hop_resent (id, at)
       SELECT value, ?2 FROM json_each(?1) WHERE ${CLAIMED}`,
    )
    .bind(JSON.stringify(ids), batch.at, batch.id);
}

/**
 * The query for which of `ids` are resent copies counted already: rows `{id}`.
 *
 * @example
 * const [seen] = await db.batch([countedResentStatement(db, ["mjv5uo000abcdefghijk"])]);
 */
export function countedResentStatement(
  db: D1Database,
  ids: readonly string[],
): D1PreparedStatement {
  return db
    .prepare(
      // CROSS JOIN keeps the one-row probe outside: an empty table reads no id at all.
      `SELECT j.value AS id
       FROM (SELECT 1 FROM hop_resent LIMIT 1) CROSS JOIN json_each(?1) AS j
       WHERE EXISTS (SELECT 1 FROM hop_resent r WHERE r.id = j.value)`,
    )
    .bind(JSON.stringify(ids));
}

/**
 * The query for which of `messages` a batch committed since `since` has counted already: rows `{id}`.
 *
 * @example
 * const [seen] = await db.batch([countedMessagesStatement(db, ["m1", "m2"], Date.now() - 3_600_000)]);
 */
export function countedMessagesStatement(
  db: D1Database,
  messages: readonly string[],
  since: number,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT DISTINCT m.value AS id FROM hop_batches b, json_each(b.messages) m
       WHERE b.at >= ?2 AND m.value IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(messages), since);
}

/**
 * Remember in `hop_resent`, at `at` (unix ms), each of the dead-lettered `envelopes` that a batch
 * committed since its `since` counted already: a message counted whose ack was lost and whose
 * redeliveries then failed. `hop_batches` forgets it in a day; the letter is kept 30 days, and a
 * replay of it, however late, finds it here and counts nothing.
 *
 * @example
 * db.batch([rememberCountedStatement(db, [{ id: "mjv5uo000abcdefghijk", since }], Date.now())])
 */
export function rememberCountedStatement(
  db: D1Database,
  envelopes: readonly { id: string; since: number }[],
  at: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO hop_resent (id, at)
       SELECT l.value ->> 0, ?2 FROM json_each(?1) AS l
       WHERE EXISTS (
         SELECT 1 FROM hop_batches b, json_each(b.messages) m
         WHERE b.at >= l.value ->> 1 AND m.value = l.value ->> 0)`,
    )
    .bind(JSON.stringify(envelopes.map((e) => [e.id, e.since])), at);
}

/**
 * Remember in `hop_resent` those of a claimed batch's envelopes that have another copy waiting
 * in the dead letters (`envelope`, not replayed): that copy, replayed however late, then counts
 * nothing. The one-row probe first: with no letter waiting, no id is even read.
 *
 * @example
 * deadCopiesStatement(db, { at, id }, ["mjv5uo000abcdefghijk"])
 */
export function deadCopiesStatement(
  db: D1Database,
  batch: { at: number; id: string },
  ids: readonly string[],
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO hop_resent (id, at)
       SELECT j.value, ?2
       FROM (SELECT 1 FROM dead_letters WHERE envelope IS NOT NULL AND replayed_at IS NULL LIMIT 1)
         CROSS JOIN json_each(?1) AS j
       WHERE ${CLAIMED} AND EXISTS (
         SELECT 1 FROM dead_letters d WHERE d.envelope = j.value AND d.replayed_at IS NULL)`,
    )
    .bind(JSON.stringify(ids), batch.at, batch.id);
}
