/**
 * The QR login state machine: states, allowed transitions and deadlines. Pure — no bindings, no
 * clock of its own (every function takes `now`, unix ms) — so `LoginObject` stays a thin shell.
 * It is the handoff's machine run the other way (the PC asks, the logged-in app answers), kept
 * apart so that each reads on its own:
 *
 * ```
 * pending ──scan──▶ scanned ──approve──▶ approved ──exchange──▶ exchanged
 *                      └──deny──▶ denied          └──burn──▶ burnt   (wrong code_verifier)
 * pending, scanned, approved ──expire──▶ expired                    (deny by default)
 * ```
 *
 * Each live state has its own short deadline: the QR's `expires_at` while pending, the approval
 * window after the scan, the ticket's lifetime after approval. Ended logins are kept for
 * {@link LOGIN_PURGE_GRACE_MS} (the PC page and the company's backend can still read the
 * outcome), then deleted. What the approver said (`subject`, `claims`) and the PC's network and
 * place are dropped as soon as nothing needs them any more.
 */
import { LOGIN_STEP_HOPS, type LoginHopFacts } from "./login-hops";
import type { LoginApprover, LoginProximity, LoginRecord, LoginStatus } from "./login-record";

/** States that never change again. */
export const LOGIN_TERMINAL: readonly LoginStatus[] = ["denied", "expired", "exchanged", "burnt"];

/** States after which the PC page has nothing left to wait for (its WebSockets are closed). */
export const PC_FINAL: readonly LoginStatus[] = ["approved", ...LOGIN_TERMINAL];

/** What can happen to a login. `burn`: an exchange with the wrong `code_verifier`. */
export type LoginEvent = "scan" | "approve" | "deny" | "exchange" | "burn" | "expire";

/** The transition table: the only place that says which event leads where. */
export const LOGIN_TRANSITIONS: Readonly<
  Record<LoginStatus, Readonly<Partial<Record<LoginEvent, LoginStatus>>>>
> = {
  pending: { scan: "scanned", expire: "expired" },
  scanned: { approve: "approved", deny: "denied", expire: "expired" },
  approved: { exchange: "exchanged", burn: "burnt", expire: "expired" },
  denied: {},
  expired: {},
  exchanged: {},
  burnt: {},
};

/** Lifetime of the QR (`ttl`), seconds. */
export const LOGIN_TTL = { default: 60, min: 30, max: 300 } as const;
/** How long a scanned login waits for the company's backend to approve or deny. */
export const APPROVE_WINDOW_MS = 120_000;
/** How long an approved login's ticket can be exchanged. */
export const TICKET_TTL_MS = 60_000;
/** Ended logins are deleted this long after they ended. */
export const LOGIN_PURGE_GRACE_MS = 10 * 60_000;
/** Limits of what the approver hands over. */
export const APPROVAL_LIMITS = { subject: 256, claimsBytes: 2048, reason: 200 } as const;

/** What each event brings along. */
export interface LoginStepExtra {
  scanHash?: string;
  /** Hex SHA-256 of the scanner's `claim`, if it sent one. */
  claimHash?: string | null;
  approver?: LoginApprover;
  proximity?: LoginProximity;
  subject?: string;
  claims?: string | null;
  /** The approving key's id (`key_…`, or "admin"). */
  approvedBy?: string;
  /** Hex SHA-256 of the approval (store/login-checks.ts `approvalHashOf`). */
  approvalHash?: string;
  ticketHash?: string;
  deniedBy?: "app" | "backend" | "policy";
  reason?: string | null;
  /** The step's request facts, kept for its hop's copies (core/login-hops.ts). */
  hopFacts?: LoginHopFacts;
}

/**
 * True when the status never changes again.
 *
 * @example
 * isLoginTerminal("exchanged") // true
 * isLoginTerminal("approved")  // false: the ticket may still be exchanged
 */
export function isLoginTerminal(status: LoginStatus): boolean {
  return LOGIN_TERMINAL.includes(status);
}

/**
 * The deadline of the current state (unix ms), or null once the login has ended: the QR's
 * expiry while pending, `scanned_at` + {@link APPROVE_WINDOW_MS} once scanned, `approved_at` +
 * {@link TICKET_TTL_MS} once approved.
 *
 * @example
 * loginDeadline({ ...rec, status: "approved", approved_at: t }) // t + 60_000
 */
export function loginDeadline(rec: LoginRecord): number | null {
  switch (rec.status) {
    case "pending":
      return rec.expires_at;
    case "scanned":
      return (rec.scanned_at ?? rec.created_at) + APPROVE_WINDOW_MS;
    case "approved":
      return (rec.approved_at ?? rec.created_at) + TICKET_TTL_MS;
    default:
      return null;
  }
}

/**
 * When the Durable Object should wake next: the deadline of a live login, or the purge time of
 * an ended one.
 *
 * @example
 * await ctx.storage.setAlarm(loginAlarmTime(rec));
 */
export function loginAlarmTime(rec: LoginRecord): number {
  return loginDeadline(rec) ?? (rec.ended_at ?? rec.changed_at) + LOGIN_PURGE_GRACE_MS;
}

/**
 * Apply an event at `now`: returns the new record (the input is not changed), or the current
 * status when the event is not allowed there — including any event but `expire` once the
 * state's deadline has passed.
 *
 * @example
 * const r = loginStep(rec, "scan", Date.now(), { scanHash, approver, proximity });
 * if (r.ok) save(r.record);
 */
export function loginStep(
  rec: LoginRecord,
  event: LoginEvent,
  now: number,
  extra: LoginStepExtra = {},
): { ok: true; record: LoginRecord } | { ok: false; status: LoginStatus } {
  const to = LOGIN_TRANSITIONS[rec.status][event];
  if (!to) return { ok: false, status: rec.status };
  const due = loginDeadline(rec);
  if (event !== "expire" && due !== null && now >= due) return { ok: false, status: rec.status };
  const next: LoginRecord = { ...rec, status: to, changed_at: now };
  // The claim only answers a retry of the scan while the login waits for a decision.
  if (event !== "scan") next.scan_claim_hash = null;
  switch (event) {
    case "scan":
      next.scanned_at = now;
      next.scan_hash = extra.scanHash ?? null;
      next.scan_claim_hash = extra.claimHash ?? null;
      next.approver = extra.approver ?? null;
      next.proximity = extra.proximity ?? null;
      // The proximity is computed: the PC's network and place are not needed any more.
      next.network = null;
      next.location = null;
      break;
    case "approve":
      next.approved_at = now;
      next.subject = extra.subject ?? null;
      next.claims = extra.claims ?? null;
      next.approved_by = extra.approvedBy ?? null;
      next.approval_hash = extra.approvalHash ?? null;
      next.ticket_hash = extra.ticketHash ?? null;
      break;
    case "deny":
      next.denied_by = extra.deniedBy ?? "backend";
      next.denied_reason = extra.reason ?? null;
      break;
    case "exchange":
      next.exchanged_at = now;
      break;
  }
  const hop = LOGIN_STEP_HOPS[event];
  if (hop && extra.hopFacts) next.hop_facts = { ...rec.hop_facts, [hop]: extra.hopFacts };
  if (isLoginTerminal(to)) {
    next.ended_at = now;
    // The ticket's one use is over (or never came): nothing of the approval is kept.
    next.subject = null;
    next.claims = null;
    next.ticket_hash = null;
    next.network = null;
    next.location = null;
  }
  return { ok: true, record: next };
}

/**
 * Expire the record if its deadline has passed (the alarm may run late): returns the expired
 * record, or null when nothing is due.
 *
 * @example
 * const expired = expireLoginIfDue(rec, Date.now());
 * if (expired) save(expired);
 */
export function expireLoginIfDue(rec: LoginRecord, now: number): LoginRecord | null {
  const due = loginDeadline(rec);
  if (due === null || now < due) return null;
  const r = loginStep(rec, "expire", now);
  return r.ok ? r.record : null;
}
