/**
 * The checks only a login's object can make, as pure functions of its record and of hashes the
 * Worker computed: who may read it (the watch secret's hash, or a secret key the Worker
 * vouched for), who holds its scan handle, and whether an exchange's ticket, `code_verifier`
 * and expected approver match. `LoginObject` runs them between its read and its write; keeping
 * them apart lets the object stay the shell (storage, alarms, push) and these read on their own.
 */
import { sha256Hex } from "../core/hash";
import type { LoginRecord } from "../core/login-record";
import { type ProximityPolicy, proximityProblem } from "../core/proximity";
import { constantTimeEqual } from "../core/token";
import { type LoginAccess, type LoginFailure, loginFail, loginRefusal } from "./logins";

/**
 * Null when `access` may read the record, else the refusal.
 *
 * @example
 * const refused = accessRefusal(rec, { watchHash });
 */
export function accessRefusal(rec: LoginRecord, access: LoginAccess): LoginFailure | null {
  const allowed =
    access.key === true ||
    (!!access.watchHash && constantTimeEqual(access.watchHash, rec.watch_hash));
  return allowed ? null : loginFail("forbidden", "this credential may not access this login");
}

/**
 * Null when the record is scanned and `scanHash` is its first scanner's handle, else the
 * refusal of the decision (approve or deny). A keyless caller (the app's deny) is refused for a
 * wrong handle first, whatever the state, so a made-up handle learns nothing of the login; a
 * secret key's holder may read the state anyway (`GET /v1/logins/:id`), so it is told that first.
 *
 * @example
 * const refused = scanRefusal(rec, await sha256Hex(body.scan), false);
 */
export function scanRefusal(
  rec: LoginRecord,
  scanHash: string,
  keyed: boolean,
): LoginFailure | null {
  const wrong = () => loginFail("forbidden", "this scan handle does not belong to this login");
  if (!keyed && !holdsScan(rec, scanHash)) return wrong();
  if (rec.status !== "scanned") return loginRefusal(rec.status);
  return holdsScan(rec, scanHash) ? null : wrong();
}

const holdsScan = (rec: LoginRecord, scanHash: string) =>
  !!rec.scan_hash && constantTimeEqual(rec.scan_hash, scanHash);

/** What an approving backend says: whom it signs in, and its key. */
export interface Approval {
  subject: string;
  /** JSON text, or null. */
  claims: string | null;
  approvedBy: string;
}

/**
 * The hash an approval is known by once its subject and claims are gone (the exchange drops
 * them): hex SHA-256 over the login id and the approval, so it names no user across logins.
 *
 * @example
 * const approvalHash = await approvalHashOf(id, { subject, claims, approvedBy: auth.keyId });
 */
export function approvalHashOf(loginId: string, a: Approval): Promise<string> {
  return sha256Hex(JSON.stringify([loginId, a.subject, a.claims, a.approvedBy]));
}

/**
 * True when a decision made with the login's scan handle is the one already made: a deny on a
 * denied login, or an approve on a login approved (or since exchanged) for the same subject and
 * claims by the same key. A backend or app retrying after a lost answer gets that answer again
 * instead of an error; nothing changes.
 *
 * @example
 * if (refused && repeatsDecision(rec, scanHash, "approve", approval)) return unchanged(rec);
 */
export function repeatsDecision(
  rec: LoginRecord,
  scanHash: string,
  step: "approve" | "deny",
  approval?: Approval & { approvalHash: string },
): boolean {
  if (!holdsScan(rec, scanHash)) return false;
  if (step === "deny") return rec.status === "denied";
  if (!approval || (rec.status !== "approved" && rec.status !== "exchanged")) return false;
  // Known by its hash: an exchanged login keeps no subject or claims to compare.
  if (rec.approval_hash) return constantTimeEqual(rec.approval_hash, approval.approvalHash);
  return (
    rec.subject === approval.subject &&
    rec.claims === approval.claims &&
    (rec.approved_by ?? null) === approval.approvedBy
  );
}

/**
 * True when the record is scanned and `claimHash` is the hash of the claim its first scanner
 * sent (compared in constant time): that scanner asking again after its answer was lost. A
 * scan without a claim, or a login whose first scan sent none, never matches.
 *
 * @example
 * if (isScanRetry(rec, claim ? await sha256Hex(claim) : null)) replay();
 */
export function isScanRetry(rec: LoginRecord, claimHash: string | null): boolean {
  const kept = rec.scan_claim_hash ?? null;
  if (rec.status !== "scanned" || kept === null || claimHash === null) return false;
  return constantTimeEqual(kept, claimHash);
}

/**
 * Null when the login's proximity meets the approving backend's policy, else the refusal that
 * denies it (`409 proximity_failed`, with the proximity and the policy as details). A policy on
 * a signal that is unknown fails.
 *
 * @example
 * const failed = policyRefusal(rec, { require_same_network: true });
 */
export function policyRefusal(
  rec: LoginRecord,
  policy: ProximityPolicy,
): (LoginFailure & { details: Record<string, unknown> }) | null {
  const proximity = rec.proximity ?? { same_network: null, distance_km: null };
  const problem = proximityProblem(proximity, policy);
  if (!problem) return null;
  const failure = loginFail("proximity_failed", problem, "denied");
  return { ...failure, details: { proximity: rec.proximity, policy } };
}

/** What the PC's backend brings to an exchange, hashed by the Worker. */
export interface ExchangeAttempt {
  ticketHash: string;
  /** S256 of the `code_verifier` sent. */
  challenge: string;
  /** Key ids the backend accepts as the approver (`approved_by` of the body), or null: any. */
  approvedBy: readonly string[] | null;
}

/**
 * The outcome of an exchange on a record: `"exchange"` when everything matches, `"burn"` for
 * the right ticket with a wrong verifier, else a refusal that changes nothing. The approver is
 * compared last, once the caller has shown both the ticket and the verifier, so only the PC's
 * own backend learns who approved. A mismatch leaves the ticket as it was: it is the approval
 * the backend refuses, not the ticket's holder (who proved the verifier), and burning would
 * only let a wrong `approved_by` in one call end a login the backend may still accept.
 *
 * @example
 * const verdict = exchangeVerdict(rec, { ticketHash, challenge, approvedBy: ["key_login"] });
 */
export function exchangeVerdict(
  rec: LoginRecord,
  attempt: ExchangeAttempt,
): "exchange" | "burn" | LoginFailure {
  if (rec.status !== "approved") return loginRefusal(rec.status);
  if (!rec.ticket_hash || !constantTimeEqual(rec.ticket_hash, attempt.ticketHash))
    return loginFail("invalid_grant", "this ticket does not belong to this login");
  if (!constantTimeEqual(rec.code_challenge, attempt.challenge)) return "burn";
  const approvedBy = rec.approved_by ?? null;
  if (attempt.approvedBy && (approvedBy === null || !attempt.approvedBy.includes(approvedBy))) {
    return {
      ...loginFail(
        "forbidden",
        approvedBy === null
          ? "this login's approver is not known, so it cannot be one of approved_by"
          : "this login was approved by another key than approved_by names",
        rec.status,
      ),
      details: { reason: "approver_mismatch", approved_by: approvedBy },
    };
  }
  return "exchange";
}

/**
 * A function giving the Worker's `ticket` for a record if it is the login's current ticket (same
 * hash), else null. The ticket is hashed here, before the object reads its record.
 *
 * @example
 * const shown = await ticketShower(ticket);
 * loginView(rec, shown(rec), access);
 */
export async function ticketShower(
  ticket: string | null,
): Promise<(rec: LoginRecord) => string | null> {
  const hash = ticket ? await sha256Hex(ticket) : null;
  return (rec) =>
    hash && rec.ticket_hash && constantTimeEqual(hash, rec.ticket_hash) ? ticket : null;
}
