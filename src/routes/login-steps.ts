/**
 * The steps of a QR login after the PC created it: the app's scan (`POST /v1/logins/scan`), the
 * company's backend approving or denying (`…/:id/approve`, `…/:id/deny`, which the app may also
 * call with its `scan` handle), and the PC's backend exchanging the ticket
 * (`POST /v1/logins/exchange`). Tokens and tickets are verified here, before any storage is
 * touched; the one-time rules are the `LoginObject`'s. See docs/logins.md.
 */
import type { Context } from "hono";
import type { App, AppEnv } from "../app-env";
import { normalizeBase32 } from "../core/base32";
import { bridgeLinkOf } from "../core/bridge-link";
import { clientKey } from "../core/client-ip";
import { classifyDevice } from "../core/device";
import { ApiError } from "../core/errors";
import { jsonBytes } from "../core/handoff-input";
import { sha256Hex } from "../core/hash";
import { APPROVAL_LIMITS, APPROVE_WINDOW_MS } from "../core/login";
import type { LoginStepHopInput } from "../core/login-hops";
import { s256Challenge, scanHandleOf, signTicket, verifyTicket } from "../core/login-ticket";
import { networkHash } from "../core/proximity";
import { type TokenCheck, verifyToken } from "../core/token";
import { requestFacts } from "../store/hops";
import { approvalHashOf } from "../store/login-checks";
import { cfFacts, type LoginFailure, loginApprover, loginStub, unwrapLogin } from "../store/logins";
import {
  approveLoginRoute,
  denyLoginRoute,
  exchangeLoginRoute,
  scanLoginRoute,
} from "./login-operations";
import { loginHop, loginIdOf, requireSecretKey } from "./logins";
import { authenticateOptional, budgetKey } from "./middleware";
import { publicBase } from "./urls";

/** Refuse with 429 when the limiter (if bound) says this key has been used too often. */
async function limit(limiter: RateLimit | undefined, key: string): Promise<void> {
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) throw new ApiError("rate_limited", "too many login requests; slow down");
}

// The client a login budget is kept for: an IPv6 client by its /64 (core/client-ip.ts), which it
// could otherwise walk through with a fresh address a request.
const clientIp = (c: Context<AppEnv>) => clientKey(c.req.header("cf-connecting-ip") ?? "unknown");

/** The refusal of an object result, or null when it succeeded. */
const failureOf = (r: { ok: boolean }) =>
  r.ok ? null : (r as unknown as LoginFailure & { burnt?: boolean });

/**
 * Send a step's once-only hops, as its object built them from what it kept (core/login-hops.ts):
 * if this isolate dies first, the object sends the same rows before it deletes the login.
 */
function sendStepHops(c: Context<AppEnv>, hops: LoginStepHopInput[] | undefined): void {
  for (const input of hops ?? []) loginHop(c, input);
}

/**
 * The expired token of a scan that may be its first scanner's retry: it carries a `claim` and the
 * QR ended less than an approval window ago, so a scan made before then may still be waiting for
 * its approval. Null for anything else, which is refused here without touching storage.
 */
function lateRetry(check: TokenCheck, claim: string | undefined, now: number) {
  if (check.ok || check.reason !== "expired" || claim === undefined) return null;
  return now < check.expiresAt * 1000 + APPROVE_WINDOW_MS ? check : null;
}

/** The exchange body's `approved_by` (one key id or a list) as the list of accepted ids. */
const approvedByOf = (value: string | string[] | undefined): string[] | null =>
  value === undefined ? null : typeof value === "string" ? [value] : value;

/**
 * Register the scan, approve, deny and exchange routes.
 *
 * @example
 * registerLoginStepRoutes(app);
 */
export function registerLoginStepRoutes(app: App): void {
  app.openapi(scanLoginRoute, async (c) => {
    await limit(c.env.LOGIN_LIMITER, `scan:${clientIp(c)}`);
    const body = c.req.valid("json");
    const link = bridgeLinkOf(publicBase(c), body.url, ["l"]);
    const now = Date.now();
    const check = await verifyToken(c.var.config.keyring, "l", link.code, Math.floor(now / 1000));
    const late = lateRetry(check, body.claim, now);
    const refuse = (reason: string, id: string) =>
      loginHop(c, { subject_id: id, hop: "rejected", detail: { reason, via: "app" } });
    if (!check.ok && !late) {
      const expired = check.reason === "expired";
      refuse(check.reason, expired ? check.id : "invalid");
      if (expired) throw new ApiError("expired", "this login QR has expired");
      throw new ApiError("invalid_token", "not a login link of this bridge");
    }
    const id = check.ok ? check.id : late!.id;
    const info = classifyDevice(c.req.raw.headers);
    const phone = {
      network: await networkHash(c.var.config.ipSalt, id, c.req.header("cf-connecting-ip")),
      location: cfFacts(c.req.raw).location,
    };
    const facts = { ...requestFacts(c.req.raw), in_app: info.inAppBrowser };
    const approver = loginApprover(info, c.req.raw);
    // Only the claim's hash reaches the object, which keeps it with the first scan; its handle
    // is derived from it, so every try of one scan is answered the same handle.
    const claim =
      body.claim === undefined
        ? null
        : {
            hash: await sha256Hex(body.claim),
            handle: await scanHandleOf(c.var.config.keyring, id, body.claim),
            late: late !== null,
          };
    const r = await loginStub(c.env, id).scan(approver, phone, facts, claim);
    if (late && failureOf(r)?.error === "expired") refuse("expired", id);
    if (failureOf(r)?.error === "already_scanned") {
      loginHop(c, {
        subject_id: id,
        hop: "rejected",
        platform: info.platform,
        detail: { reason: "already_scanned" },
      });
    }
    const scanned = unwrapLogin(r);
    sendStepHops(c, scanned.hops);
    const { same_network, distance_km } = scanned.proximity;
    return c.json(
      {
        id,
        scan: scanned.scan,
        expires_at: scanned.expires_at,
        requester: scanned.requester,
        proximity: distance_km === null ? { same_network } : { same_network, distance_km },
        metadata: scanned.metadata,
        created_by: scanned.created_by,
      },
      200,
    );
  });

  app.openapi(approveLoginRoute, async (c) => {
    const auth = await requireSecretKey(c);
    const id = loginIdOf(c.req.valid("param").id);
    const body = c.req.valid("json");
    if (body.claims !== undefined && jsonBytes(body.claims) > APPROVAL_LIMITS.claimsBytes) {
      throw new ApiError(
        "payload_too_large",
        `claims: its JSON is larger than ${APPROVAL_LIMITS.claimsBytes} bytes`,
        { field: "claims", limit: APPROVAL_LIMITS.claimsBytes },
      );
    }
    const approval = {
      subject: body.subject,
      claims: body.claims === undefined ? null : JSON.stringify(body.claims),
      approvedBy: auth.keyId,
    };
    const r = await loginStub(c.env, id).approve(
      await sha256Hex(body.scan),
      { ...approval, approvalHash: await approvalHashOf(id, approval) },
      await signTicket(c.var.config.keyring, id),
      { require_same_network: body.require_same_network, max_distance_km: body.max_distance_km },
      requestFacts(c.req.raw),
    );
    // Approved, or denied by the proximity policy: either way the step's hop. The key's id in
    // `approved` reaches the login.approved webhook (an audit can flag another key's approval).
    sendStepHops(c, "hops" in r ? r.hops : undefined);
    const { login } = unwrapLogin(r);
    return c.json({ id, status: login.status, at: login.approved_at ?? Date.now() }, 200);
  });

  app.openapi(denyLoginRoute, async (c) => {
    const id = loginIdOf(c.req.valid("param").id);
    const auth = await authenticateOptional(c, "logins:write");
    if (auth?.kind === "publishable")
      throw new ApiError("forbidden", "publishable keys may only create logins");
    // Without a key the scan handle is the credential: a guess costs a call to the object.
    if (!auth) await limit(c.env.LOGIN_LIMITER, `deny:${clientIp(c)}`);
    const body = c.req.valid("json");
    const by = auth ? "backend" : "app";
    const scanHash = await sha256Hex(body.scan);
    const facts = requestFacts(c.req.raw);
    const denied = unwrapLogin(
      await loginStub(c.env, id).deny(scanHash, by, body.reason ?? null, facts),
    );
    sendStepHops(c, denied.hops);
    const { login } = denied;
    return c.json({ id, status: login.status, at: login.ended_at ?? Date.now() }, 200);
  });

  app.openapi(exchangeLoginRoute, async (c) => {
    const auth = await requireSecretKey(c);
    await limit(c.env.LOGIN_EXCHANGE_LIMITER, `${budgetKey(auth)}:${clientIp(c)}`);
    const body = c.req.valid("json");
    const id = await verifyTicket(c.var.config.keyring, body.ticket);
    if (!id) {
      loginHop(c, { subject_id: "invalid", hop: "rejected", detail: { reason: "invalid_grant" } });
      throw new ApiError("invalid_grant", "not a login ticket of this bridge");
    }
    const r = await loginStub(c.env, id).exchange(
      {
        ticketHash: await sha256Hex(normalizeBase32(body.ticket)!),
        challenge: await s256Challenge(body.code_verifier),
        approvedBy: approvedByOf(body.approved_by),
      },
      requestFacts(c.req.raw),
    );
    const failure = failureOf(r);
    if (failure?.burnt) {
      loginHop(c, { subject_id: id, hop: "rejected", detail: { reason: "invalid_grant" } });
    } else if (failure?.details?.reason === "approver_mismatch") {
      loginHop(c, { subject_id: id, hop: "rejected", detail: { reason: "approver_mismatch" } });
    }
    const done = unwrapLogin(r);
    sendStepHops(c, done.hops);
    return c.json(
      {
        login_id: done.login_id,
        subject: done.subject,
        claims: done.claims === null ? null : (JSON.parse(done.claims) as unknown),
        approved_at: done.approved_at,
        requester: done.requester,
        approver: done.approver,
        approved_by: done.approved_by,
      },
      200,
    );
  });
}
