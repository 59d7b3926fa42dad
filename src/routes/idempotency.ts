/**
 * `Idempotency-Key` on the API's creates: a retry of a create whose answer was lost gets that
 * answer again (`Idempotent-Replayed: true`) instead of creating everything twice. Opt-in: a
 * request without the header runs as it always did. Claims and answers: store/idempotency.ts.
 */
import { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { ApiError } from "../core/errors";
import {
  IDEMPOTENCY_KEY_PATTERN,
  idempotencyScope,
  inProgressError,
  requestFingerprint,
  validIdempotencyKey,
} from "../core/idempotency";
import type { AnswerHook, StoredAnswer } from "../store/idempotency";
import { adminKit } from "./lazy-modules";
import { budgetKey } from "./middleware";

/** The response headers a replay repeats besides the body's type. */
const KEPT_HEADERS = ["location"];

/** The header's value (its words: routes/reference/keys.ts `IdempotencyKey`). */
const IdempotencyKey = z.string().regex(IDEMPOTENCY_KEY_PATTERN).openapi("IdempotencyKey");

/** The request header as the OpenAPI document declares it on each create. */
export const IdempotencyHeaders = z.object({ "idempotency-key": IdempotencyKey.optional() });

/**
 * After {@link requireKey}: run a create at most once per `Idempotency-Key`. A `201` answer is
 * stored (by a create kept in D1 in its own batch, see {@link answerHook}; else here, after it)
 * and replayed for 24 h; any other answer releases the key (nothing was created: a
 * failure, or a batch's `dry_run` check, whose `200` the real run with the same key must not
 * meet as a reuse), so a corrected or real retry may use it again. Publishable keys are
 * public: whoever copies one could replay another visitor's answer, so their header is ignored.
 *
 * @example
 * middleware: [requireKey("posters:write"), idempotent()] as const
 */
export function idempotent(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const value = c.req.header("idempotency-key");
    if (value === undefined || c.var.auth.kind === "publishable") return next();
    if (!validIdempotencyKey(value)) {
      throw new ApiError(
        "validation_failed",
        "idempotency-key: must be 1–255 visible ASCII characters",
        { field: "idempotency-key" },
      );
    }
    const url = new URL(c.req.url);
    let body: string;
    try {
      body = await c.req.text();
    } catch {
      return next(); // an unreadable body: the route's validator answers it, storing nothing
    }
    // The claims' code is in the admin kit: a create without the header never loads it.
    const { claimKey, releaseKey, storeAnswer } = await adminKit();
    const db = c.env.DB;
    const ring = c.var.config.keyring;
    // The keys of one roll chain are one caller (store/key-family.ts), so they share one row, under
    // the chain's first key: a retry with another key meets the claim exactly as one with the same
    // key would (refused while it runs, taken over after its lease, the stalled request then
    // writing nothing), and two at once make one winner. A row per key, looked up across the
    // chain, let a retry with the next key claim its own row and create a second time.
    const scope = await idempotencyScope(budgetKey(c.var.auth), value);
    const fingerprint = await requestFingerprint(c.req.method, url.pathname + url.search, body);
    const claim = await claimKey(db, ring, scope, fingerprint, Date.now());
    if (claim.kind === "reused") {
      throw new ApiError(
        "idempotency_key_reused",
        "this Idempotency-Key was used for another request (method, path or body); use a new key",
      );
    }
    if (claim.kind === "running") throw inProgressError();
    if (claim.kind === "done") {
      if (!claim.answer) {
        throw new ApiError(
          "idempotency_key_reused",
          "the answer stored for this Idempotency-Key can no longer be read (its signing key was removed or changed); use a new key",
        );
      }
      const headers = new Headers(claim.answer.headers);
      headers.set("content-type", "application/json; charset=utf-8");
      headers.set("idempotent-replayed", "true");
      return c.body(claim.answer.body, claim.answer.status as 200, Object.fromEntries(headers));
    }
    const held: HeldClaim = {
      scope,
      holder: claim.holder,
      inBatch: false,
      pending: claim.pending,
    };
    c.set("idempotency", held);
    await next();
    const res = c.res;
    // The request's own answer stands whatever D1 says now: a failed release leaves a claim
    // that lapses with its lease; a failed store, the window docs/api.md states (a create whose
    // batch stored its answer has none).
    if (res.status !== 201) {
      await releaseKey(db, scope, claim.holder).catch(logFailure);
      return;
    }
    if (held.inBatch) return;
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const v = res.headers.get(name);
      if (v !== null) headers[name] = v;
    }
    const text = await res.clone().text();
    await storeAnswer(db, ring, scope, claim.holder, {
      status: res.status,
      headers,
      body: text,
    }).catch(logFailure);
  };
}

/** The claim a request with a key holds while its create runs (`c.var.idempotency`). */
export interface HeldClaim {
  scope: string;
  holder: string;
  /** Set once the create put its answer in its own batch: nothing is left to store after it. */
  inBatch: boolean;
  /** The answer the request whose claim this one took over sealed before its create, or null. */
  pending: StoredAnswer | null;
}

/**
 * For a create outside D1 (a handoff, in its Durable Object): the body the request this one took
 * the claim over from sealed before its create (its ids and secrets), to create with the same
 * ones — the first request may have created it before its Worker died. Null: create afresh.
 *
 * @example
 * const earlier = pendingBody<CreatedHandoff>(c);
 */
export function pendingBody<T>(c: Context<AppEnv>): T | null {
  const pending = c.get("idempotency")?.pending;
  return pending ? (JSON.parse(pending.body) as T) : null;
}

/**
 * For a create outside D1: seal its `201` body into the claim before creating (nothing without a
 * claim), so that a retry after this Worker died finds it ({@link pendingBody}). A claim taken
 * over already is `409 idempotency_in_progress`: the retry creates.
 *
 * @example
 * await pendBody(c, body);
 * await stub.create(…);
 */
export async function pendBody(c: Context<AppEnv>, body: unknown): Promise<void> {
  const held = c.get("idempotency");
  if (!held) return;
  const { pendAnswer } = await adminKit();
  const answer = { status: 201, headers: {}, body: JSON.stringify(body) };
  const ring = c.var.config.keyring;
  if (!(await pendAnswer(c.env.DB, ring, held.scope, held.holder, answer))) throw inProgressError();
}

/**
 * For a create that writes D1 in one batch: the hook its store function calls with what it is
 * about to write, which seals the `201` answer `toBody` makes of it and returns the statements
 * that store it in that batch (store/idempotency.ts `answerStatements`). Undefined without a
 * claim (no header, a publishable key). The route must answer `toBody` of the same record.
 *
 * @example
 * const answer = answerHook(c, (s: StoreRecord) => s);
 * return c.json(await createStore(c.env.DB, input, actorOf(c), answer), 201);
 */
export function answerHook<T>(
  c: Context<AppEnv>,
  toBody: (created: T) => unknown,
): AnswerHook<T> | undefined {
  const held = c.get("idempotency");
  if (!held) return undefined;
  return async (created, landed) => {
    const { answerStatements } = await adminKit();
    const answer = { status: 201, headers: {}, body: JSON.stringify(toBody(created)) };
    const statements = await answerStatements(
      c.env.DB,
      c.var.config.keyring,
      held.scope,
      held.holder,
      answer,
      landed,
    );
    held.inBatch = true;
    return statements;
  };
}

function logFailure(err: unknown): void {
  console.error("qrbridge: Idempotency-Key claim not updated; it lapses with its lease", err);
}
