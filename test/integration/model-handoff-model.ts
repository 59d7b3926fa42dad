// The model of one handoff's life for test/integration/model-handoff.test.ts: what the Worker
// should answer to each operation, written from docs/handoffs.md and core/handoff.ts, with no
// bindings and no clock of its own (every step takes the test's virtual time `t`, unix ms).
// A world is what the bridge should hold; concurrent operations may land in any order, so the
// test keeps every world an order could have led to and drops those an answer contradicts.
import { EVENT_WINDOW_MS, PURGE_GRACE_MS } from "../../src/core/handoff";
import type { HandoffStatus } from "../../src/core/handoff-record";
import { REPLAY_WINDOW_MS } from "../../src/core/handoff-replay";
import type { ClaimRef, Cred, Op, Seen, Step, View, World } from "./model-handoff-ops";

/** A handoff just made: what the bridge should hold. */
export function newWorld(
  h: { confirm: "none" | "pc"; createdBy: "server" | "page"; payload: unknown },
  expiresAt: number,
  redeemWindowMs: number,
): World {
  return {
    ...h,
    status: "pending",
    expiresAt,
    redeemWindowMs,
    scannedAt: null,
    approvedAt: null,
    redeemedAt: null,
    endedAt: null,
    claimHolder: null,
    replayUntil: null,
    steps: [],
    expiredHop: false,
    objectSends: [],
    previewed: 0,
    rejected: 0,
  };
}

const TERMINAL = ["redeemed", "cancelled", "expired", "denied"];
const live = (w: World) => w.status !== "purged" && !TERMINAL.includes(w.status);

/** When a live handoff expires (core/handoff.ts `expiryOf`), else null. */
export function expiryOf(w: World): number | null {
  if (!live(w)) return null;
  if (w.status === "pending" || w.scannedAt === null) return w.expiresAt;
  return Math.max(w.scannedAt + w.redeemWindowMs, w.expiresAt);
}

/** When the alarm deletes an ended handoff, else null. */
export function purgeAt(w: World): number | null {
  if (w.status === "purged" || live(w) || w.endedAt === null) return null;
  return w.endedAt + (w.status === "redeemed" ? EVENT_WINDOW_MS : PURGE_GRACE_MS);
}

const refusals: Partial<Record<HandoffStatus, { status: number; error: string }>> = {
  redeemed: { status: 409, error: "already_redeemed" },
  expired: { status: 410, error: "expired" },
  cancelled: { status: 410, error: "gone" },
  denied: { status: 403, error: "forbidden" },
};
const refusal = (s: HandoffStatus): Seen => ({
  ...(refusals[s] ?? { status: 409, error: "conflict" }),
  state: s,
});
const NOT_FOUND: Seen = { status: 404, error: "not_found" };

function viewOf(w: World): View {
  return {
    status: w.status as HandoffStatus,
    scanned_at: w.scannedAt,
    approved_at: w.approvedAt,
    redeemed_at: w.redeemedAt,
    ended_at: w.endedAt,
    redeemable_until: expiryOf(w),
  };
}

/** Any access to the object at `t`: a live handoff past its deadline expires, a replay window closes. */
function touch(w: World, t: number): void {
  const due = expiryOf(w);
  if (due !== null && t >= due) {
    w.status = "expired";
    w.endedAt = t;
    w.expiredHop = true;
  } else if (w.replayUntil !== null && t >= w.replayUntil) {
    w.replayUntil = null;
    objectSends(w, ["scanned", "landing", "approved", "redeemed"]);
  }
}

/** The object sends the hops of those of `kept` that the handoff went through. */
function objectSends(w: World, kept: Step[]): void {
  for (const step of kept)
    if (w.steps.includes(step) && !w.objectSends.includes(step)) w.objectSends.push(step);
}

const tokenExpired = (w: World, t: number) => Math.floor(t / 1000) >= w.expiresAt / 1000;

/** What the Worker says before the object is asked: null when the credential reaches it. */
function credGate(w: World, cred: Cred): Seen | null {
  if (cred === "none" || cred === "forgedKey") return { status: 401, error: "unauthorized" };
  // A publishable key never acts on a handoff, the one that made it included.
  if (cred === "publishable" || (cred === "creator" && w.createdBy === "page"))
    return { status: 403, error: "forbidden" };
  return null;
}
const opens = (cred: Cred) => cred === "watch" || cred === "creator" || cred === "admin";

/**
 * Apply `op` at `t` to a copy of `w`: the world after it and what the answer should show.
 * `claim` is the claim as the runner sent it (an `issued` ref only once a 202 issued one).
 */
export function apply(world: World, op: Op, t: number): { world: World; seen: Seen } {
  const w: World = structuredClone(world);
  const seen = step(w, op, t);
  return { world: w, seen };
}

function step(w: World, op: Op, t: number): Seen {
  switch (op.op) {
    case "preview":
      // Never reaches the object: the token alone decides.
      if (tokenExpired(w, t)) return rejected(w);
      w.previewed++;
      return { status: 200 };
    case "landing":
      if (tokenExpired(w, t)) return rejected(w);
      if (w.status === "purged") return { status: 404 };
      touch(w, t);
      if (w.status === "pending") {
        w.status = "scanned";
        w.scannedAt = t;
        w.steps.push("scanned", "landing");
      }
      return TERMINAL.includes(w.status) ? { status: 410 } : { status: 200 };
    case "alarm":
      return alarm(w, t);
    case "resolve":
      return resolve(w, op.claim, t);
    case "event":
      return event(w, op, t);
    case "decide":
    case "cancel":
    case "get": {
      const gate = credGate(w, op.cred);
      if (gate) return gate;
      if (w.status === "purged") return NOT_FOUND;
      touch(w, t);
      if (!opens(op.cred)) return { status: 403, error: "forbidden" };
      // A long-poll on the status it names waits (for a change by another call, or 1 s).
      if (op.op === "get" && op.since)
        return { status: 200, view: viewOf(w), changed: w.status !== op.since };
      if (op.op === "get") return { status: 200, view: viewOf(w) };
      return op.op === "cancel" ? cancel(w, t) : decide(w, op.action, t);
    }
  }
}

/** An expired link's page: a `rejected` hop, and the object is not asked. */
function rejected(w: World): Seen {
  w.rejected++;
  return { status: 410 };
}

function resolve(w: World, claim: ClaimRef | null, t: number): Seen {
  const replay = claim === null ? 0 : REPLAY_WINDOW_MS / 1000;
  const sec = Math.floor(t / 1000);
  if (tokenExpired(w, t) && sec >= (w.expiresAt + w.redeemWindowMs) / 1000 + replay)
    return refusal("expired");
  if (w.status === "purged") return NOT_FOUND;
  touch(w, t);
  const redeemed = (at: number): Seen => ({
    status: 200,
    redeemed: { payload: w.payload, created_by: w.createdBy, redeemedAt: at },
  });
  if (
    claim !== null &&
    w.status === "redeemed" &&
    w.claimHolder === claim &&
    w.replayUntil !== null
  )
    return redeemed(w.redeemedAt!);
  if (w.status === "pending") {
    w.status = "scanned";
    w.scannedAt = t;
    w.steps.push("scanned");
  }
  if (w.confirm === "pc") {
    if (w.status === "scanned") {
      w.status = "awaiting_confirmation";
      w.claimHolder = claim ?? "issued";
      return { status: 202, issuedClaim: claim === null };
    }
    if (w.claimHolder !== null && w.claimHolder !== claim)
      return TERMINAL.includes(w.status) ? refusal(w.status) : { status: 409, error: "conflict" };
    if (w.status === "awaiting_confirmation") return { status: 202, issuedClaim: false };
  }
  if (w.status !== "scanned" && w.status !== "approved") return refusal(w.status as HandoffStatus);
  w.status = "redeemed";
  w.redeemedAt = t;
  w.endedAt = t;
  // Every redemption opens the window (for its hops' last send); only a claim keeps the payload.
  w.replayUntil = t + REPLAY_WINDOW_MS;
  if (claim !== null) w.claimHolder = claim;
  w.steps.push("redeemed");
  return redeemed(t);
}

/**
 * An app event. The link alone is never enough (the QR is on the PC's screen). The session, which
 * only the redeeming answer carried (the runner sends the link while it has none), is a token
 * expiring with the events window, in whole seconds rounded up; within it the object says.
 */
function event(w: World, op: Extract<Op, { op: "event" }>, t: number): Seen {
  if (op.proof === "link") return { status: 403, error: "forbidden" };
  // A world with no redemption cannot have handed out the session that was sent.
  if (w.redeemedAt === null) return { status: 0, error: "no session in this world" };
  const end = w.redeemedAt + EVENT_WINDOW_MS;
  if (Math.floor(t / 1000) >= Math.ceil(end / 1000)) return TOO_OLD;
  if (w.status === "purged") return TOO_OLD;
  touch(w, t);
  if (t >= end) return TOO_OLD;
  if (!w.steps.includes(op.type)) w.steps.push(op.type);
  return { status: 202 };
}
const TOO_OLD: Seen = { status: 410, error: "expired" };

function decide(w: World, action: "approve" | "deny", t: number): Seen {
  const s = w.status as HandoffStatus;
  const repeated =
    action === "deny" ? s === "denied" : s === "approved" || (s === "redeemed" && !!w.approvedAt);
  if (w.confirm === "pc" && repeated) return { status: 200, view: viewOf(w) };
  if (w.confirm !== "pc") return { status: 409, error: "conflict" };
  const from =
    action === "approve" ? ["awaiting_confirmation"] : ["scanned", "awaiting_confirmation"];
  if (!from.includes(s)) return refusal(s);
  if (action === "approve") {
    w.status = "approved";
    w.approvedAt = t;
    w.steps.push("approved");
  } else {
    w.status = "denied";
    w.endedAt = t;
    w.steps.push("denied");
  }
  return { status: 200, view: viewOf(w) };
}

function cancel(w: World, t: number): Seen {
  if (w.status === "cancelled") return { status: 200, view: viewOf(w) };
  if (!live(w)) return refusal(w.status as HandoffStatus);
  w.status = "cancelled";
  w.endedAt = t;
  w.steps.push("cancelled");
  return { status: 200, view: viewOf(w) };
}

/** The object's alarm at `t`: whether one was set (none once deleted), and what it did. */
function alarm(w: World, t: number): Seen {
  if (w.status === "purged") return { status: 0, ran: false };
  touch(w, t);
  const purge = purgeAt(w);
  if (purge !== null && t >= purge) {
    // A redeemed one sent its kept hops when its window closed (touch, above).
    if (w.status !== "redeemed")
      objectSends(w, ["scanned", "landing", "approved", "denied", "cancelled"]);
    w.status = "purged";
  }
  return { status: 0, ran: true };
}
