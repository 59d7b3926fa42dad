/**
 * What each party may read of a QR login, as values that cross RPC from `LoginObject` to the
 * Worker: the status view (the PC page with its watch secret, or the company's backend with a
 * secret key, which alone also sees who approved), the PC page's WebSocket messages, the app's
 * scan result and the exchange's answer. Nothing here reads storage.
 */

import { loginAlarmTime, loginDeadline } from "../core/login";
import type {
  LoginApprover,
  LoginCreator,
  LoginProximity,
  LoginRecord,
  LoginRequester,
  LoginStatus,
} from "../core/login-record";
import type { LoginAccess } from "./logins";

/** What the PC page and the company's backend may read of a login. Times are unix ms. */
export interface LoginView {
  id: string;
  status: LoginStatus;
  metadata: Record<string, string> | null;
  /** Who made it (`server`: a secret key; `page`: a publishable key); null for old records. */
  created_by: LoginCreator | null;
  requester: LoginRequester;
  created_at: number;
  expires_at: number;
  /** Deadline of the current state (live logins only). */
  deadline: number | null;
  scanned_at: number | null;
  approver: LoginApprover | null;
  proximity: LoginProximity | null;
  other_scans: number;
  approved_at: number | null;
  exchanged_at: number | null;
  ended_at: number | null;
  denied_by: LoginRecord["denied_by"];
  denied_reason: string | null;
  /**
   * Secret keys only: the approving key's id (`key_…`, or "admin"), null until approved. The
   * PC page does not need it and a publishable key cannot read a login at all.
   */
  approved_by?: string | null;
  /** The one-time ticket, while approved and only for the watch secret or a secret key. */
  ticket?: string;
}

/**
 * What `access` may read of a record: the ticket is added while it can still be exchanged, who
 * approved only for a secret key.
 *
 * @example
 * return { ok: true, login: loginView(rec, ticket, access) };
 */
export function loginView(
  rec: LoginRecord,
  ticket: string | null = null,
  access: LoginAccess = {},
): LoginView {
  const out: LoginView = {
    id: rec.id,
    status: rec.status,
    metadata: rec.metadata,
    created_by: rec.created_by ?? null,
    requester: rec.requester,
    created_at: rec.created_at,
    expires_at: rec.expires_at,
    deadline: loginDeadline(rec),
    scanned_at: rec.scanned_at,
    approver: rec.approver,
    proximity: rec.proximity,
    other_scans: rec.other_scans,
    approved_at: rec.approved_at,
    exchanged_at: rec.exchanged_at,
    ended_at: rec.ended_at,
    denied_by: rec.denied_by,
    denied_reason: rec.denied_reason,
  };
  if (access.key === true) out.approved_by = rec.approved_by ?? null;
  if (ticket !== null && rec.status === "approved") out.ticket = ticket;
  return out;
}

/** The WebSocket message of a status (on connect and on each change). */
export interface LoginStatusMessage {
  type: "status";
  status: LoginStatus;
  at: number;
  /** The phone, once scanned: its platform (and OS, browser, country). */
  device?: LoginApprover;
  ticket?: string;
}

/**
 * The status message of a record; `ticket` is included only while approved.
 *
 * @example
 * ws.send(JSON.stringify(loginStatusMessage(rec, ticket)));
 */
export function loginStatusMessage(
  rec: LoginRecord,
  ticket: string | null = null,
): LoginStatusMessage {
  const msg: LoginStatusMessage = { type: "status", status: rec.status, at: rec.changed_at };
  if (rec.approver && rec.status !== "pending") msg.device = rec.approver;
  if (ticket !== null && rec.status === "approved") msg.ticket = ticket;
  return msg;
}

/**
 * A scan's `claim`, as the object takes it: the claim's hash (kept with the first scan), the
 * `scan` handle derived from it (the same for every try), and whether the QR had already ended
 * (`late`: only the first scanner's retry is then answered).
 */
export interface ScanClaim {
  hash: string;
  handle: string;
  late: boolean;
}

/** What the phone's scan tells the app (the Worker adds `id`). */
export interface LoginScanResult {
  ok: true;
  scan: string;
  /** Until when the company's backend can approve (unix ms). */
  expires_at: number;
  requester: LoginRequester & { created_at: number };
  proximity: LoginProximity;
  metadata: Record<string, string> | null;
  /**
   * Who made it: the app shows `metadata` as the shop's words only when `server` (a publishable
   * key is public, so a `page` login's metadata may be anyone's); null for old records.
   */
  created_by: LoginCreator | null;
  created_at: number;
}

/**
 * The app's scan answer for a scanned record and the handle this answer gives: the same for the
 * first scan and for its claimant's retry, which reads what the first scan stored.
 *
 * @example
 * return { ...scanResult(next, handle), hops };
 */
export function scanResult(rec: LoginRecord, handle: string): LoginScanResult {
  return {
    ok: true,
    scan: handle,
    expires_at: loginAlarmTime(rec),
    requester: { ...rec.requester, created_at: rec.created_at },
    proximity: rec.proximity ?? { same_network: null, distance_km: null },
    metadata: rec.metadata,
    created_by: rec.created_by ?? null,
    created_at: rec.created_at,
  };
}

/**
 * The answer to a decision repeated by the handle's holder (login-checks.ts `repeatsDecision`):
 * the login as it is, and no hops to send.
 *
 * @example
 * if (refused) return repeatsDecision(rec, scanHash, "deny") ? decidedAsIs(rec) : refused;
 */
export const decidedAsIs = (rec: LoginRecord) => ({
  ok: true as const,
  login: loginView(rec),
  hops: [],
});

/** What the company's backend gets from an exchange. */
export interface LoginExchangeResult {
  ok: true;
  login_id: string;
  subject: string;
  /** JSON text, or null. */
  claims: string | null;
  approved_at: number;
  requester: LoginRequester;
  approver: { platform: string; country: string | null };
  /** The approving key's id (`key_…`, or "admin"); null for a login approved before it was kept. */
  approved_by: string | null;
  created_at: number;
}

/**
 * The exchange's answer for a record that was approved (read before the exchange dropped the
 * subject and claims).
 *
 * @example
 * const answer = exchangeResult(rec); // rec: the approved record
 */
export function exchangeResult(rec: LoginRecord): LoginExchangeResult {
  return {
    ok: true,
    login_id: rec.id,
    subject: rec.subject ?? "",
    claims: rec.claims,
    approved_at: rec.approved_at ?? rec.changed_at,
    requester: rec.requester,
    approver: {
      platform: rec.approver?.platform ?? "other",
      country: rec.approver?.country ?? null,
    },
    approved_by: rec.approved_by ?? null,
    created_at: rec.created_at,
  };
}
