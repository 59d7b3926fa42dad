/**
 * `/v1/logins` for the PC page: create a QR login, read or long-poll it, watch it over a
 * WebSocket. The state lives in one `LoginObject` per login; this module only does HTTP and
 * auth, and the helpers the other login routes share (routes/login-steps.ts: scan, approve,
 * deny, exchange). A publishable key may create a login and do nothing else.
 */
import type { Context } from "hono";
import type { App, AppEnv, AuthContext } from "../app-env";
import { classifyDevice, classifyUserAgent } from "../core/device";
import { ApiError } from "../core/errors";
import { metadataProblem } from "../core/handoff-input";
import { sha256Hex } from "../core/hash";

import { LOGIN_TTL } from "../core/login";
import { signTicket } from "../core/login-ticket";
import { networkHash, networkPrefix } from "../core/proximity";
import { signToken } from "../core/token";
import { normalizeHandoffId, randomSecret } from "../store/handoffs";
import { type HopInput, recordHop } from "../store/hops";
import { cfFacts, type LoginAccess, loginStub, unwrapLogin } from "../store/logins";
import { createLoginRoute, getLoginRoute, loginEventsRoute } from "./login-operations";
import { authenticateOptional, relayWebSocket } from "./middleware";
import { linkUrl, publicBase, qrUrls } from "./urls";

/**
 * The secret key (or admin key) a step of the company's backend needs; a publishable key is
 * refused whatever its scopes, since it may only create.
 *
 * @example
 * const auth = await requireSecretKey(c);
 */
export async function requireSecretKey(c: Context<AppEnv>): Promise<AuthContext> {
  const auth = await authenticateOptional(c, "logins:write");
  if (!auth) throw new ApiError("unauthorized", "send a secret key holding logins:write");
  if (auth.kind === "publishable") throw publishableRefused();
  return auth;
}

function publishableRefused(): ApiError {
  return new ApiError("forbidden", "publishable keys may only create logins");
}

/** Who may read a login: a secret key with logins:write, or the login's watch secret. */
async function accessFor(c: Context<AppEnv>, watch: string | undefined): Promise<LoginAccess> {
  const auth = await authenticateOptional(c, "logins:write");
  if (auth) {
    if (auth.kind === "publishable") throw publishableRefused();
    return { key: true };
  }
  if (watch) return { watchHash: await sha256Hex(watch) };
  throw new ApiError("unauthorized", "send the login's watch secret as ?watch=, or a secret key");
}

/**
 * A login id from the path, in canonical form, or a 404.
 *
 * @example
 * const id = loginIdOf(c.req.valid("param").id);
 */
export function loginIdOf(raw: string): string {
  const id = normalizeHandoffId(raw);
  if (!id) throw new ApiError("not_found", "no such login");
  return id;
}

/**
 * Record a hop of kind `login` with the request's facts.
 *
 * @example
 * loginHop(c, { subject_id: id, hop: "approved", created_at });
 */
export function loginHop(c: Context<AppEnv>, input: Omit<HopInput, "kind">): void {
  recordHop(
    { env: c.env, ctx: c.executionCtx, config: c.var.config, request: c.req.raw },
    { kind: "login", ...input },
  );
}

/** The PC as the login stores it: from the request, or as a secret-key backend stated it. */
async function requesterOf(
  c: Context<AppEnv>,
  id: string,
  client: { user_agent?: string; ip?: string; origin?: string } | undefined,
) {
  const headers = c.req.raw.headers;
  if (client?.ip !== undefined && networkPrefix(client.ip) === null)
    throw new ApiError("validation_failed", "client.ip: not an IP address", { field: "client.ip" });
  const info = client ? classifyUserAgent(client.user_agent ?? null) : classifyDevice(headers);
  // A backend's request comes from the backend: its place says nothing of the PC.
  const place = client ? null : cfFacts(c.req.raw);
  const ip = client ? client.ip : headers.get("cf-connecting-ip");
  return {
    requester: {
      platform: info.platform,
      browser: info.browser,
      os: info.os,
      country: place?.country ?? null,
      city: place?.city ?? null,
      region: place?.region ?? null,
      colo: place?.colo ?? null,
      origin: ((client ? client.origin : headers.get("origin")) ?? "").slice(0, 200) || null,
    },
    network: await networkHash(c.var.config.ipSalt, id, ip),
    location: place?.location ?? null,
  };
}

/**
 * Register the PC page's login routes.
 *
 * @example
 * registerLoginRoutes(app);
 */
export function registerLoginRoutes(app: App): void {
  app.openapi(createLoginRoute, async (c) => {
    const body = c.req.valid("json");
    if (body.client && c.var.auth.kind === "publishable") {
      throw new ApiError("forbidden", "client: only a secret key may state the PC's context", {
        field: "client",
      });
    }
    const ttl = body.ttl ?? LOGIN_TTL.default;
    if (ttl < LOGIN_TTL.min || ttl > LOGIN_TTL.max) {
      throw new ApiError(
        "validation_failed",
        `ttl: must be from ${LOGIN_TTL.min} to ${LOGIN_TTL.max} seconds`,
        { field: "ttl" },
      );
    }
    const problem = body.metadata ? metadataProblem(body.metadata) : null;
    if (problem)
      throw new ApiError("validation_failed", `metadata: ${problem}`, { field: "metadata" });
    const expiresAt = Math.floor(Date.now() / 1000) + ttl;
    const { token, id } = await signToken(c.var.config.keyring, "l", { expiresAt });
    const watch = randomSecret();
    const { login } = unwrapLogin(
      await loginStub(c.env, id).create({
        id,
        key_id: c.var.auth.keyId,
        watch_hash: await sha256Hex(watch),
        code_challenge: body.code_challenge,
        metadata: body.metadata ?? null,
        // As a handoff's: the app shows the metadata as the shop's words only from `server`.
        created_by: c.var.auth.kind === "publishable" ? "page" : "server",
        ...(await requesterOf(c, id, body.client)),
        expires_at: expiresAt * 1000,
      }),
    );
    loginHop(c, { subject_id: id, hop: "created", created_at: login.created_at });
    const events = `${publicBase(c).replace(/^http/i, "ws")}/v1/logins/${id}/events?watch=${watch}`;
    return c.json(
      {
        id,
        url: linkUrl(c, "l", token),
        qr: qrUrls(c, "l", token),
        expires_at: login.expires_at,
        watch,
        events_url: events,
        status: login.status,
      },
      201,
    );
  });

  app.openapi(getLoginRoute, async (c) => {
    const id = loginIdOf(c.req.valid("param").id);
    const { watch, wait, since, other_scans } = c.req.valid("query");
    const access = await accessFor(c, watch);
    const stub = loginStub(c.env, id);
    // The ticket is derived, not stored: the object shows it only if it is the login's.
    const ticket = await signTicket(c.var.config.keyring, id);
    if (wait) {
      const from = { status: since ?? null, otherScans: other_scans ?? null };
      const r = unwrapLogin(await stub.waitForChange(access, from, wait * 1000, ticket));
      return c.json({ ...r.login, changed: r.changed }, 200);
    }
    return c.json(unwrapLogin(await stub.get(access, ticket)).login, 200);
  });

  app.openapi(loginEventsRoute, async (c) => {
    const id = loginIdOf(c.req.valid("param").id);
    return relayWebSocket(c, async () => {
      const access = await accessFor(c, c.req.valid("query").watch);
      // A fresh request: only the upgrade, the access we vouch for and the ticket reach the object.
      return loginStub(c.env, id).fetch("https://login.internal/events", {
        headers: {
          upgrade: "websocket",
          "x-qb-access": JSON.stringify(access),
          "x-qb-ticket": await signTicket(c.var.config.keyring, id),
        },
      });
    });
  });
}
