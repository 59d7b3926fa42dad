/**
 * `/v1/handoffs`: create a handoff (PC page → app), watch it (status, long-poll, WebSocket),
 * cancel it, and approve or deny it when it was created with `confirm: "pc"`.
 * The state lives in one `HandoffObject` per handoff; this module only does HTTP and auth.
 * The routes' schemas (request, responses) are in handoff-schemas.ts, their words in the API
 * reference (reference/handoffs.ts).
 */
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { appPathProblem } from "../core/app-path";
import { ApiError } from "../core/errors";
import { jsonBytes, metadataProblem } from "../core/handoff-input";
import { sha256Hex } from "../core/hash";
import { inProgressError } from "../core/idempotency";
import { signToken } from "../core/token";
import {
  type Access,
  type HandoffView,
  handoffStub,
  normalizeHandoffId,
  randomSecret,
  unwrap,
} from "../store/handoffs";
import { recordHop, requestFacts } from "../store/hops";
import {
  type CreatedHandoff,
  cancelHandoffRoute,
  createHandoffRoute,
  decideHandoffRoute,
  getHandoffRoute,
  handoffEventsRoute,
} from "./handoff-schemas";
import { hopScope } from "./hop-scope";
import { pendBody, pendingBody } from "./idempotency";
import { authenticateOptional, relayWebSocket } from "./middleware";
import { linkUrl, publicBase, qrUrls } from "./urls";

/**
 * The credential for one handoff: a secret key holding handoffs:write (or admin), or the watch
 * secret. A publishable key is refused by `authenticateOptional` (403).
 */
async function accessFor(c: Context<AppEnv>, watch: string | undefined): Promise<Access> {
  const auth = await authenticateOptional(c, "handoffs:write");
  if (auth?.kind === "admin") return { admin: true };
  if (auth) return { keyId: auth.keyId, keyKind: auth.kind, linkedKeyIds: auth.linkedKeyIds };
  if (watch) return { watchHash: await sha256Hex(watch) };
  throw new ApiError(
    "unauthorized",
    "send the API key that created this handoff, or its watch secret as ?watch=",
  );
}

function idOf(raw: string): string {
  const id = normalizeHandoffId(raw);
  if (!id) throw new ApiError("not_found", "no such handoff");
  return id;
}

function hop(c: Context<AppEnv>, id: string, name: "created", view?: HandoffView) {
  recordHop(hopScope(c), {
    kind: "handoff",
    subject_id: id,
    hop: name,
    created_at: view?.created_at ?? null,
  });
}

/**
 * Register the handoff API.
 *
 * @example
 * registerHandoffRoutes(app);
 */
export function registerHandoffRoutes(app: App): void {
  app.openapi(createHandoffRoute, async (c) => {
    const body = c.req.valid("json");
    const { handoff: limits } = c.var.config;
    const ttl = body.ttl ?? limits.defaultTtl;
    if (ttl < limits.minTtl || ttl > limits.maxTtl) {
      throw new ApiError(
        "validation_failed",
        `ttl: must be from ${limits.minTtl} to ${limits.maxTtl} seconds`,
        { field: "ttl" },
      );
    }
    const pathProblem = body.path === undefined ? null : appPathProblem(body.path);
    if (pathProblem)
      throw new ApiError("validation_failed", `path: ${pathProblem}`, { field: "path" });
    const problem = body.metadata ? metadataProblem(body.metadata) : null;
    if (problem)
      throw new ApiError("validation_failed", `metadata: ${problem}`, { field: "metadata" });
    const payload = body.payload === undefined ? null : JSON.stringify(body.payload);
    if (payload !== null && jsonBytes(body.payload) > limits.maxPayloadBytes) {
      throw new ApiError(
        "payload_too_large",
        `payload: its JSON is larger than ${limits.maxPayloadBytes} bytes`,
        { field: "payload", limit: limits.maxPayloadBytes },
      );
    }
    // With Idempotency-Key, the answer is sealed into the claim before the handoff is made: a
    // retry after this Worker died makes the same handoff (its id, token and watch secret), and
    // the object refuses a second one. Without a claim, `earlier` is null and nothing is sealed.
    const earlier = pendingBody<CreatedHandoff>(c);
    const answer = earlier ?? (await newAnswer(c, ttl, body.confirm ?? "none"));
    if (!earlier) await pendBody(c, answer);
    // A retry after the handoff's expiry answers it and makes nothing: its object may have been
    // purged (an hour after its end), and the same handoff made anew would count its `created`
    // hop twice and could serve no one. Every purge comes after the expiry (ttl ≤ 15 minutes).
    else if (earlier.expires_at <= Date.now()) return c.json(answer, 201);
    const created = await handoffStub(c.env, answer.id).create({
      id: answer.id,
      confirm: answer.confirm,
      payload,
      path: body.path ?? null,
      metadata: body.metadata ?? null,
      key_id: c.var.auth.keyId,
      created_by: c.var.auth.kind === "publishable" ? "page" : "server",
      watch_hash: await sha256Hex(answer.watch),
      expires_at: answer.expires_at,
      redeem_window: limits.redeemWindow,
    });
    if (created.ok) hop(c, answer.id, "created", created.handoff);
    // A conflict with a claim: made already, by the request whose claim this one took over
    // (answered as it would have been), or, for that request, by the retry that took its claim
    // over (which answers the key).
    else if (created.error !== "conflict" || !c.get("idempotency")) unwrap(created);
    else if (!earlier) throw inProgressError();
    return c.json(answer, 201);
  });

  app.openapi(getHandoffRoute, async (c) => {
    const id = idOf(c.req.valid("param").id);
    const { watch, wait, since } = c.req.valid("query");
    const access = await accessFor(c, watch);
    const stub = handoffStub(c.env, id);
    if (wait) {
      const { handoff, changed } = unwrap(
        await stub.waitForChange(access, since ?? null, wait * 1000),
      );
      return c.json({ ...handoff, changed }, 200);
    }
    return c.json(unwrap(await stub.get(access)).handoff, 200);
  });

  app.openapi(cancelHandoffRoute, async (c) => {
    const id = idOf(c.req.valid("param").id);
    const access = await accessFor(c, c.req.valid("query").watch);
    // The object keeps the cancel's facts and sends its once-only hop again if this is lost.
    const facts = { ...requestFacts(c.req.raw), via: null, bot: false };
    const { handoff, hops } = unwrap(await handoffStub(c.env, id).cancel(access, facts));
    for (const input of hops) recordHop(hopScope(c), input);
    return c.json(handoff, 200);
  });

  for (const action of ["approve", "deny"] as const) {
    app.openapi(decideHandoffRoute(action), async (c) => {
      const id = idOf(c.req.valid("param").id);
      const fromBody = (c.req.valid("json") as { watch?: string } | undefined)?.watch;
      const access = await accessFor(c, fromBody ?? c.req.valid("query").watch);
      const stub = handoffStub(c.env, id);
      // The object keeps the decision's facts and sends its once-only hop again if this is lost.
      const facts = { ...requestFacts(c.req.raw), via: null, bot: false };
      const { handoff, hops } = unwrap(
        action === "approve" ? await stub.approve(access, facts) : await stub.deny(access, facts),
      );
      for (const input of hops) recordHop(hopScope(c), input);
      return c.json(handoff, 200);
    });
  }

  app.openapi(handoffEventsRoute, async (c) => {
    const id = idOf(c.req.valid("param").id);
    return relayWebSocket(c, async () => {
      const access = await accessFor(c, c.req.valid("query").watch);
      // A fresh request: only the upgrade and the access we vouch for reach the object.
      return handoffStub(c.env, id).fetch("https://handoff.internal/events", {
        headers: { upgrade: "websocket", "x-qb-access": JSON.stringify(access) },
      });
    });
  });
}

/** A new handoff's `201` body: its id, signed token (in `url`) and watch secret, drawn here. */
async function newAnswer(
  c: Context<AppEnv>,
  ttl: number,
  confirm: "none" | "pc",
): Promise<CreatedHandoff> {
  const expiresAt = Math.floor(Date.now() / 1000) + ttl;
  const { token, id } = await signToken(c.var.config.keyring, "h", { expiresAt });
  const watch = randomSecret();
  return {
    id,
    url: linkUrl(c, "h", token),
    qr: qrUrls(c, "h", token),
    expires_at: expiresAt * 1000,
    watch,
    events_url: `${publicBase(c).replace(/^http/i, "ws")}/v1/handoffs/${id}/events?watch=${watch}`,
    status: "pending",
    confirm,
  };
}
