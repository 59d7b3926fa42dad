/**
 * `Idempotency-Key` claims and stored answers in D1 (`idempotency_keys`, migrations/0019).
 * The first request with a key claims its row (the primary key makes the claim atomic), runs,
 * and stores its answer: a create kept in D1 in its own batch ({@link answerStatements}), a
 * handoff after it ({@link storeAnswer}); the same key again finds the row. A stored answer is sealed: gzip,
 * then AES-GCM under a key derived from the signing key and the scope, since a create's answer
 * may carry a secret shown once (an API key, a webhook secret, a handoff's watch secret).
 */
import { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_RETAIN_MS } from "../core/idempotency";
import type { Keyring } from "../core/token";
import { seal, unseal, unsealPending } from "./idempotency-seal";

/** A stored answer: status, the headers that matter, the body text. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What a request with a key found. `answer` null: it cannot be opened, its signing key since
 * removed, or its secret changed under the same key id.
 */
export type Claim =
  /**
   * `pending`: the answer a request whose claim this one took over sealed before its create
   * ({@link pendAnswer}), or null. The create may have happened: re-run it with the same ids.
   */
  | { kind: "claimed"; holder: string; pending: StoredAnswer | null }
  | { kind: "running" }
  | { kind: "reused" }
  | { kind: "done"; answer: StoredAnswer | null };

interface Row {
  fingerprint: string;
  lease_until: number;
  kid: string | null;
  /** D1 returns a BLOB as an array of bytes. */
  answer: ArrayBuffer | number[] | null;
}

/**
 * Claim `scope` for a request with `fingerprint`: a new key, one past retention, or a claim
 * of the same request whose lease passed (its Worker died) is taken; otherwise what is there.
 * One write; one read more when the key is held.
 *
 * @example
 * const claim = await claimKey(db, ring, scope, fingerprint, Date.now());
 */
export async function claimKey(
  db: D1Database,
  ring: Keyring,
  scope: string,
  fingerprint: string,
  now: number,
): Promise<Claim> {
  const holder = crypto.randomUUID();
  // While the request runs, `kid` holds its claim's holder: the finish or release of a request
  // whose claim was taken over then changes nothing.
  const taken = await db
    .prepare(
      `INSERT INTO idempotency_keys (scope, fingerprint, created_at, lease_until, kid, answer)
       VALUES (?1, ?2, ?3, ?4, ?5, NULL)
       ON CONFLICT (scope) DO UPDATE SET fingerprint = excluded.fingerprint,
         created_at = excluded.created_at, lease_until = excluded.lease_until, kid = excluded.kid,
         answer = CASE WHEN idempotency_keys.created_at <= ?6 THEN NULL ELSE idempotency_keys.answer END
       WHERE idempotency_keys.created_at <= ?6
          OR (idempotency_keys.lease_until > 0 AND idempotency_keys.lease_until <= ?3
              AND idempotency_keys.fingerprint = excluded.fingerprint)
       RETURNING answer`,
    )
    .bind(scope, fingerprint, now, now + IDEMPOTENCY_LEASE_MS, holder, now - IDEMPOTENCY_RETAIN_MS)
    .first<Pick<Row, "answer">>();
  if (taken) {
    // A stale claim's pending answer was sealed under the signing key current then.
    const pending = taken.answer ? await unsealPending(ring, scope, taken.answer) : null;
    return { kind: "claimed", holder, pending };
  }
  const row = await db
    .prepare("SELECT fingerprint, lease_until, kid, answer FROM idempotency_keys WHERE scope = ?")
    .bind(scope)
    .first<Row>();
  // Gone between the two statements (a failed first request released it): retry later.
  if (!row) return { kind: "running" };
  return held(ring, scope, row, fingerprint);
}

/** What a request with `fingerprint` meets in a key's row held by another request. */
async function held(
  ring: Keyring,
  scope: string,
  row: Row,
  fingerprint: string,
): Promise<Exclude<Claim, { kind: "claimed" }>> {
  if (row.fingerprint !== fingerprint) return { kind: "reused" };
  if (row.lease_until > 0 || !row.kid || !row.answer) return { kind: "running" };
  return { kind: "done", answer: await unseal(ring, row.kid, scope, row.answer) };
}

/**
 * Store the answer of the claim `holder` took (nothing when it was taken over meanwhile).
 *
 * @example
 * await storeAnswer(db, ring, scope, claim.holder, { status: 201, headers: {}, body });
 */
export async function storeAnswer(
  db: D1Database,
  ring: Keyring,
  scope: string,
  holder: string,
  answer: StoredAnswer,
): Promise<void> {
  const sealed = await seal(ring, scope, answer);
  await db
    .prepare(
      "UPDATE idempotency_keys SET lease_until = 0, kid = ?1, answer = ?2 WHERE scope = ?3 AND kid = ?4 AND lease_until > 0",
    )
    .bind(ring.current, sealed, scope, holder)
    .run();
}

/**
 * A condition (SQL over the create's own tables, and its arguments) that holds only when the
 * create's rows were written: a create that may land or not in its batch (a roll a concurrent
 * change beat, a campaign whose name is taken) stores its answer only when it landed.
 */
export interface Landed {
  sql: string;
  args: unknown[];
}

/**
 * What a route hands a store function to keep its answer with the rows it creates: given what
 * the store function is about to write (ids and secrets drawn in the Worker), the statements
 * that store the answer, appended to the store function's own batch. Undefined: no key was sent.
 */
export type AnswerHook<T> = (created: T, landed?: Landed) => Promise<D1PreparedStatement[]>;

/**
 * The statements storing the answer of the claim `holder` took, for the create's own D1 batch (a
 * transaction): the create and its answer are written together or not at all, so a Worker that
 * dies after its create leaves no create without an answer for a retry to make again. The first
 * statement fails the batch (a row without a fingerprint, refused by its NOT NULL) when the claim
 * is no longer this request's (its lease passed and a retry took it over): then the retry's
 * create is the one, and this one writes nothing (core/idempotency.ts `isClaimLost`). With
 * `landed`, both hold only if the create landed: one that did not writes nothing and fails nothing.
 *
 * @example
 * await db.batch([insert, ...(await answerStatements(db, ring, scope, holder, answer))]);
 */
export async function answerStatements(
  db: D1Database,
  ring: Keyring,
  scope: string,
  holder: string,
  answer: StoredAnswer,
  landed?: Landed,
): Promise<D1PreparedStatement[]> {
  const sealed = await seal(ring, scope, answer);
  const when = landed ? `(${landed.sql}) AND ` : "";
  const args = landed?.args ?? [];
  return [
    db
      .prepare(
        `INSERT INTO idempotency_keys (scope, fingerprint, created_at, lease_until)
         SELECT ?, NULL, 0, 0 WHERE ${when}NOT EXISTS
           (SELECT 1 FROM idempotency_keys WHERE scope = ? AND kid = ? AND lease_until > 0)`,
      )
      .bind(scope, ...args, scope, holder),
    db
      .prepare(
        `UPDATE idempotency_keys SET lease_until = 0, kid = ?, answer = ?
         WHERE ${when}scope = ? AND kid = ? AND lease_until > 0`,
      )
      .bind(ring.current, sealed, ...args, scope, holder),
  ];
}

/**
 * Seal the answer of a create that cannot share a D1 transaction (a handoff, made in its Durable
 * Object) into the claim `holder` holds, before the create: a retry that takes the claim over
 * after the lease (this Worker died) finds it ({@link claimKey} `pending`) and re-runs the create
 * with its ids, instead of a second create. False when the claim was taken over already: then
 * the create must not run.
 *
 * @example
 * if (!(await pendAnswer(db, ring, scope, holder, answer))) throw inProgressError();
 */
export async function pendAnswer(
  db: D1Database,
  ring: Keyring,
  scope: string,
  holder: string,
  answer: StoredAnswer,
): Promise<boolean> {
  const sealed = await seal(ring, scope, answer);
  const res = await db
    .prepare(
      "UPDATE idempotency_keys SET answer = ? WHERE scope = ? AND kid = ? AND lease_until > 0",
    )
    .bind(sealed, scope, holder)
    .run();
  return (res.meta.changes ?? 0) > 0;
}

/**
 * Give a claim back (its request failed and wrote nothing): the same key may be used again.
 *
 * @example
 * await releaseKey(db, scope, claim.holder);
 */
export async function releaseKey(db: D1Database, scope: string, holder: string): Promise<void> {
  await db
    .prepare("DELETE FROM idempotency_keys WHERE scope = ? AND kid = ? AND lease_until > 0")
    .bind(scope, holder)
    .run();
}

/**
 * Delete keys past retention, at most `limit` rows (the hourly cron; the rest next hour).
 *
 * @example
 * const deleted = await deleteOldIdempotencyKeys(db, Date.now(), 5000);
 */
export async function deleteOldIdempotencyKeys(
  db: D1Database,
  now: number,
  limit: number,
): Promise<number> {
  const res = await db
    .prepare(
      `DELETE FROM idempotency_keys WHERE scope IN
         (SELECT scope FROM idempotency_keys WHERE created_at <= ? ORDER BY created_at LIMIT ?)`,
    )
    .bind(now - IDEMPOTENCY_RETAIN_MS, limit)
    .run();
  return res.meta.changes ?? 0;
}
