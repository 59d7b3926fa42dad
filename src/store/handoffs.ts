/**
 * What the Worker and `HandoffObject` share: the values that cross RPC (access, refusals, the
 * owner's view, status messages, scan and resolve results) and Worker-side helpers — find a
 * handoff's stub, turn refusals into `ApiError`s, describe a request's device.
 */
import { normalizeBase32 } from "../core/base32";
import type { DeviceInfo } from "../core/device";
import { ApiError, type ErrorCode } from "../core/errors";
import { expiryOf } from "../core/handoff";
import type { HandoffStepHopInput } from "../core/handoff-hops";
import type { HandoffCreator, HandoffDevice } from "../core/handoff-parties";
import type { HandoffRecord, HandoffStatus } from "../core/handoff-record";
import type { ReplayHops } from "../core/handoff-replay";
import { TOKEN_ID_LENGTH } from "../core/token";
import type { Env } from "../env";
import type { HandoffObject } from "./handoff-object";

/**
 * A handoff id in canonical form (20 uppercase Crockford characters), or null.
 *
 * @example
 * normalizeHandoffId("8qk3t0m1zc7x9r2b4n6d") // "8QK3T0M1ZC7X9R2B4N6D"
 */
export function normalizeHandoffId(raw: string): string | null {
  const id = normalizeBase32(raw);
  return id !== null && id.length === TOKEN_ID_LENGTH ? id : null;
}

/**
 * The Durable Object stub of a handoff (its name is the handoff id).
 *
 * @example
 * const r = await handoffStub(c.env, id).get({ watchHash });
 */
export function handoffStub(env: Env, id: string): DurableObjectStub<HandoffObject> {
  return env.HANDOFF.get(env.HANDOFF.idFromName(id));
}

/**
 * Return a successful object result, or throw its refusal as an `ApiError` (status from the code).
 *
 * @example
 * const { handoff } = unwrap(await stub.get(access));
 */
export function unwrap<R extends { ok: boolean }>(result: R): Extract<R, { ok: true }> {
  if (result.ok) return result as Extract<R, { ok: true }>;
  const f = result as unknown as Failure;
  throw new ApiError(f.error, f.message, f.status ? { status: f.status } : undefined);
}

/**
 * The stored description of a device: what `classifyDevice` said plus the country from `cf`.
 *
 * @example
 * const device = handoffDevice(classifyDevice(c.req.raw.headers), c.req.raw);
 */
export function handoffDevice(info: DeviceInfo, request: Request): HandoffDevice {
  const cf = (request as { cf?: { country?: unknown } }).cf;
  return {
    platform: info.platform,
    os: info.os,
    browser: info.browser,
    in_app: info.inAppBrowser,
    country: typeof cf?.country === "string" ? cf.country : null,
  };
}

/**
 * Who asks: a secret API key or the admin key (checked by the Worker), or the hash of a watch
 * secret. A publishable key never gives access to an existing handoff: it is public (it sits
 * in the page), so the object accepts a key only when the Worker vouches it is a secret one.
 */
export interface Access {
  keyId?: string | null;
  /** The kind of `keyId`'s key; only "secret" opens the handoff its key created. */
  keyKind?: "secret" | "publishable";
  /** Keys a roll links to `keyId` (routes/middleware.ts): it opens their handoffs too. */
  linkedKeyIds?: readonly string[];
  admin?: boolean;
  watchHash?: string | null;
}

/** A refusal that crosses RPC intact; routes turn it into an `ApiError`. */
export interface Failure {
  ok: false;
  error: ErrorCode;
  message: string;
  status?: HandoffStatus;
}

/** What the owner of a handoff may read (never the payload or the hashes). Times are unix ms. */
export interface HandoffView {
  id: string;
  status: HandoffStatus;
  confirm: "none" | "pc";
  path: string | null;
  metadata: Record<string, string> | null;
  created_at: number;
  expires_at: number;
  /** Deadline of the current state (live handoffs only). */
  redeemable_until: number | null;
  scanned_at: number | null;
  approved_at: number | null;
  redeemed_at: number | null;
  ended_at: number | null;
  device: HandoffDevice | null;
}

/** The `WebSocket` message sent on every change (and once on connect). */
export interface StatusMessage {
  type: "status";
  status: HandoffStatus;
  at: number;
  device?: HandoffDevice;
}

/** What a scan tells the landing page. */
export interface ScanResult {
  ok: true;
  changed: boolean;
  status: HandoffStatus;
  path: string | null;
  metadata: Record<string, string> | null;
  /** Who made it: the page shows its metadata only for `server` (core/handoff-scan.ts). */
  created_by: HandoffCreator | null;
  created_at: number;
  expires_at: number;
  /** This scan's once-only hops, `scanned` and `landing`, when it moved the handoff (else none). */
  hops: HandoffStepHopInput[];
}

/**
 * How a handoff was scanned, for attributing its later hops: the device of the first scan (not
 * whoever resolves or reports later) and whether that scan was a page view (`page`) or the app
 * resolving the link straight from the QR (`app`).
 */
export interface ScanFacts {
  device: HandoffDevice | null;
  via: "page" | "app" | null;
}

/** What the app gets from a resolve. `scanned` is true when this call recorded the scan. */
export type ResolveResult =
  | Failure
  | {
      ok: true;
      outcome: "redeemed";
      scanned: boolean;
      /** The redeemer asking again with its claim (store/handoff-redeem.ts): no state changed. */
      replayed: boolean;
      scan: ScanFacts;
      id: string;
      path: string | null;
      /** JSON text, or null. */
      payload: string | null;
      metadata: Record<string, string> | null;
      /** Null for records written before it was kept. */
      created_by: HandoffCreator | null;
      created_at: number;
      /** Unix ms: this redemption, from which the events window counts. */
      redeemed_at: number;
      /** What its hops are built from (core/redemption-hops.ts). */
      scanned_at: number | null;
      redeemed_via: string | null;
      replay_hops: ReplayHops | null;
    }
  | {
      ok: true;
      outcome: "awaiting";
      scanned: boolean;
      scan: ScanFacts;
      claim: string | null;
      created_at: number;
      /** The scan's once-only hop when this call recorded it (core/handoff-hops.ts), else none. */
      hops: HandoffStepHopInput[];
    };

/** What an app event against a handoff needs to know of it (`POST /v1/events`). Unix ms. */
export interface EventFacts {
  ok: true;
  status: HandoffStatus;
  created_at: number;
  redeemed_at: number | null;
  /** How the redeeming app was reached, when it said so (core/app-via.ts). */
  redeemed_via: string | null;
  scan: ScanFacts;
}

/**
 * The scan facts of a record: the first scan's device (records written before `scan_device`
 * existed fall back to `device`).
 *
 * @example
 * const { device, via } = scanFacts(rec);
 */
export function scanFacts(rec: HandoffRecord): ScanFacts {
  return { device: rec.scan_device ?? rec.device, via: rec.scanned_via };
}

/**
 * A refusal value.
 *
 * @example
 * return fail("not_found", "no such handoff");
 */
export const fail = (error: ErrorCode, message: string, status?: HandoffStatus): Failure => ({
  ok: false,
  error,
  message,
  ...(status ? { status } : {}),
});

/**
 * The refusal for an event that the current state does not allow.
 *
 * @example
 * refusal("redeemed") // { ok: false, error: "already_redeemed", … }
 */
export function refusal(status: HandoffStatus): Failure {
  switch (status) {
    case "redeemed":
      return fail("already_redeemed", "this handoff has already been redeemed", status);
    case "expired":
      return fail("expired", "this handoff has expired", status);
    case "cancelled":
      return fail("gone", "this handoff was cancelled", status);
    case "denied":
      return fail("forbidden", "this handoff was denied on the PC", status);
    default:
      return fail("conflict", `not allowed while the handoff is ${status}`, status);
  }
}

/**
 * The refusal of an approval: as {@link refusal}, but a handoff only `scanned` says why — no phone
 * has claimed it, and an approval bound to none would go to the first app to resolve, which need
 * not be the phone the PC user saw (core/handoff.ts has no `approve` from `scanned`).
 *
 * @example
 * approvalRefusal("scanned") // { ok: false, error: "conflict", message: "no phone has asked…" }
 */
export function approvalRefusal(status: HandoffStatus): Failure {
  if (status !== "scanned") return refusal(status);
  return fail(
    "conflict",
    "no phone has asked for this handoff yet: approve once it is awaiting_confirmation",
    status,
  );
}

/**
 * A random secret of 256 bits, base64url (43 characters): watch secrets and claims.
 *
 * @example
 * const watch = randomSecret();
 */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * The WebSocket message for a record's current status.
 *
 * @example
 * ws.send(JSON.stringify(statusMessage(rec)));
 */
export function statusMessage(rec: HandoffRecord): StatusMessage {
  const msg: StatusMessage = { type: "status", status: rec.status, at: rec.changed_at };
  if (rec.device && rec.status !== "pending") msg.device = rec.device;
  return msg;
}

/**
 * What the owner may read of a record.
 *
 * @example
 * return { ok: true, handoff: view(rec) };
 */
export function view(rec: HandoffRecord): HandoffView {
  return {
    id: rec.id,
    status: rec.status,
    confirm: rec.confirm,
    path: rec.path,
    metadata: rec.metadata,
    created_at: rec.created_at,
    expires_at: rec.expires_at,
    redeemable_until: expiryOf(rec),
    scanned_at: rec.scanned_at,
    approved_at: rec.approved_at,
    redeemed_at: rec.redeemed_at,
    ended_at: rec.ended_at,
    device: rec.device,
  };
}
