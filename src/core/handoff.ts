/**
 * The handoff state machine: states, allowed transitions and deadlines. Pure — no bindings, no
 * clock of its own (every function takes `now`, unix ms) — so the Durable Object stays a thin
 * shell and every rule here is unit-tested in Node.
 *
 * ```
 * pending ──scan──▶ scanned ──redeem──▶ redeemed                       (confirm: "none")
 *                      └──claim──▶ awaiting_confirmation ──approve──▶ approved ──redeem──▶ redeemed
 *                                          └──deny──▶ denied         (confirm: "pc")
 * any live state ──cancel──▶ cancelled, ──expire──▶ expired
 * ```
 *
 * A pending handoff expires with its token (`expires_at`). Once scanned it stays redeemable for
 * the redeem window (`scanned_at + redeem_window`, never earlier than `expires_at`) so a user
 * who must install the app first does not lose the session. Ended handoffs are kept for
 * {@link PURGE_GRACE_MS} (the PC page can still read the outcome), then deleted; a redeemed one
 * for {@link EVENT_WINDOW_MS}, the time the app may report events against it (its payload is
 * dropped once handed over, or kept briefly for a redeemer's retry: core/handoff-replay.ts).
 * The record itself, its statuses and a fresh one: core/handoff-record.ts.
 */
import { type HandoffHopFacts, KEPT_HOP_OF } from "./handoff-hops";
import type { HandoffDevice } from "./handoff-parties";
import type { HandoffRecord, HandoffStatus } from "./handoff-record";
import { REPLAY_WINDOW_MS, type ReplayHops } from "./handoff-replay";

/** States that never change again. */
export const TERMINAL_STATUSES: readonly HandoffStatus[] = [
  "redeemed",
  "cancelled",
  "expired",
  "denied",
];

/** What can happen to a handoff. `claim` is the app asking under `confirm: "pc"`. */
export type HandoffEvent = "scan" | "claim" | "approve" | "deny" | "redeem" | "cancel" | "expire";

const LIVE_EXITS = { cancel: "cancelled", expire: "expired" } as const;

/** The transition table: the only place that says which event leads where. */
export const TRANSITIONS: Readonly<
  Record<HandoffStatus, Readonly<Partial<Record<HandoffEvent, HandoffStatus>>>>
> = {
  pending: { scan: "scanned", ...LIVE_EXITS },
  // No `approve` before a phone has asked: an approval with no claimant would go to whichever
  // app resolved first, not to the phone the PC user saw. `deny` may come early.
  scanned: {
    redeem: "redeemed",
    claim: "awaiting_confirmation",
    deny: "denied",
    ...LIVE_EXITS,
  },
  awaiting_confirmation: { approve: "approved", deny: "denied", ...LIVE_EXITS },
  approved: { redeem: "redeemed", ...LIVE_EXITS },
  redeemed: {},
  cancelled: {},
  expired: {},
  denied: {},
};

/**
 * The query parameter that carries the bridge link into the app's custom-scheme URL
 * (`acme:///cart/42?qb_link=HTTPS%3A%2F%2F…`), so the app can resolve it.
 */
export const LINK_PARAM = "qb_link";

/** Ended handoffs are deleted from storage this long after they ended. */
export const PURGE_GRACE_MS = 60 * 60 * 1000;
/**
 * How long after its redemption a handoff takes app events (`app_open`, `converted`), and so is
 * kept (without its payload): the events are attributed to the device of its scan.
 */
export const EVENT_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * True when the status never changes again.
 *
 * @example
 * isTerminal("redeemed") // true
 */
export function isTerminal(status: HandoffStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * The status an event leads to from `status`, or null when the event is not allowed there.
 *
 * @example
 * nextStatus("pending", "scan")    // "scanned"
 * nextStatus("redeemed", "redeem") // null
 */
export function nextStatus(status: HandoffStatus, event: HandoffEvent): HandoffStatus | null {
  return TRANSITIONS[status][event] ?? null;
}

/**
 * When a live handoff expires (unix ms), or null once it has ended. Pending: `expires_at`.
 * Scanned and later: `scanned_at + redeem_window`, but never earlier than `expires_at`.
 *
 * @example
 * expiryOf({ ...rec, status: "scanned", scanned_at: t }) // max(t + 900_000, rec.expires_at)
 */
export function expiryOf(rec: HandoffRecord): number | null {
  if (isTerminal(rec.status)) return null;
  if (rec.status === "pending" || rec.scanned_at === null) return rec.expires_at;
  return Math.max(rec.scanned_at + rec.redeem_window * 1000, rec.expires_at);
}

/**
 * When the Durable Object should wake next: the expiry of a live handoff, the end of a redeemed
 * one's replay window, or the purge time of an ended one.
 *
 * @example
 * await ctx.storage.setAlarm(alarmTime(rec));
 */
export function alarmTime(rec: HandoffRecord): number {
  return expiryOf(rec) ?? rec.replay_until ?? purgeTime(rec);
}

/**
 * When an ended handoff is deleted (unix ms): {@link PURGE_GRACE_MS} after it ended, or
 * {@link EVENT_WINDOW_MS} after its redemption.
 *
 * @example
 * if (isTerminal(rec.status) && Date.now() >= purgeTime(rec)) await storage.deleteAll();
 */
export function purgeTime(rec: HandoffRecord): number {
  const ended = rec.ended_at ?? rec.changed_at;
  return ended + (rec.status === "redeemed" ? EVENT_WINDOW_MS : PURGE_GRACE_MS);
}

/**
 * True when `event`, the PC's decision, was already taken on `rec`: an approval once the phone
 * was approved (still `approved`, or `redeemed` since), a denial once `denied`. The PC page
 * retries a decision whose answer it lost (or sends it twice on a double click); the repeat is
 * answered as the first was and changes nothing. A conflicting decision is not a repeat, nor is
 * a decision on a handoff that has since been cancelled or has expired.
 *
 * @example
 * isRepeatedDecision({ ...rec, status: "approved" }, "approve") // true
 * isRepeatedDecision({ ...rec, status: "approved" }, "deny")    // false: a conflict
 */
export function isRepeatedDecision(rec: HandoffRecord, event: "approve" | "deny"): boolean {
  if (event === "deny") return rec.status === "denied";
  return rec.status === "approved" || (rec.status === "redeemed" && rec.approved_at !== null);
}

/** Why an event was refused. */
export type StepError = { ok: false; status: HandoffStatus };

/**
 * Apply an event at `now`: returns the new record (the input is not changed), or the current
 * status when the event is not allowed. A live handoff past its expiry only accepts `expire`
 * — callers run {@link expireIfDue} first, so a late event sees `expired`.
 *
 * @example
 * const r = step(rec, "scan", Date.now(), { device, via: "page" });
 * if (r.ok) save(r.record);
 */
export function step(
  rec: HandoffRecord,
  event: HandoffEvent,
  now: number,
  extra: {
    device?: HandoffDevice;
    via?: "page" | "app";
    claimHash?: string;
    redeemedVia?: string | null;
    replayHops?: ReplayHops;
    /** The facts of this scan's, approval's, denial's or cancel's request, for its hops' copies. */
    hopFacts?: HandoffHopFacts;
  } = {},
): { ok: true; record: HandoffRecord } | StepError {
  const to = nextStatus(rec.status, event);
  if (to === null) return { ok: false, status: rec.status };
  const due = expiryOf(rec);
  if (event !== "expire" && due !== null && now >= due) return { ok: false, status: rec.status };
  const next: HandoffRecord = { ...rec, status: to, changed_at: now };
  switch (event) {
    case "scan":
      next.scanned_at = now;
      next.scanned_via = extra.via ?? "page";
      next.device = extra.device ?? null;
      next.scan_device = next.device;
      break;
    case "claim":
      next.claimed_at = now;
      next.claim_hash = extra.claimHash ?? null;
      // The PC decides on the device that asks, which may differ from the one that scanned.
      if (extra.device) next.device = extra.device;
      break;
    case "approve":
      next.approved_at = now;
      break;
    case "redeem":
      next.redeemed_at = now;
      next.redeemed_via = extra.redeemedVia ?? null;
      // Handed over once: the record outlives it, the payload only a claimed redeemer's retries.
      // Every redemption keeps what its hops are built from until the window closes, when the
      // object sends them a last time (core/redemption-hops.ts): the Worker's send may be lost.
      if (extra.claimHash || extra.replayHops) {
        next.replay_until = now + REPLAY_WINDOW_MS;
        next.replay_hops = extra.replayHops ?? null;
      }
      if (extra.claimHash) next.claim_hash = extra.claimHash;
      else next.payload = null;
      break;
  }
  const kept = KEPT_HOP_OF[event];
  if (kept && extra.hopFacts) next.hop_facts = { ...rec.hop_facts, [kept]: extra.hopFacts };
  if (isTerminal(to)) next.ended_at = now;
  return { ok: true, record: next };
}

/**
 * Expire the record if its deadline has passed (the alarm may run late): returns the expired
 * record, or null when nothing is due.
 *
 * @example
 * const expired = expireIfDue(rec, Date.now());
 * if (expired) save(expired);
 */
export function expireIfDue(rec: HandoffRecord, now: number): HandoffRecord | null {
  const due = expiryOf(rec);
  if (due === null || now < due) return null;
  const r = step(rec, "expire", now);
  return r.ok ? r.record : null;
}
