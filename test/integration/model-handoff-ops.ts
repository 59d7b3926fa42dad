// The operations of test/integration/model-handoff.test.ts, the world they act on and what
// their answers showed, in the terms the model (model-handoff-model.ts) decides in.
import type { HandoffStatus } from "../../src/core/handoff-record";

/** A claim the app may send: two of the test's own, or the one a `202` issued. */
export type ClaimRef = "A" | "B" | "issued";
/** Who asks to watch, decide or cancel. `creator` is the key that made the handoff. */
export type Cred =
  | "watch"
  | "creator"
  | "admin"
  | "otherSecret"
  | "publishable"
  | "forgedWatch"
  | "forgedKey"
  | "none";
export type BotKind = "slackbot" | "prefetch" | "head";
export type LinkForm = "url" | "scheme" | "referrer";

/** One request against the handoff, or its object's alarm run by the test; the clock is the test's. */
export type Op =
  | { op: "landing" }
  | { op: "preview"; bot: BotKind }
  | { op: "resolve"; claim: ClaimRef | null; form: LinkForm }
  | { op: "decide"; action: "approve" | "deny"; cred: Cred }
  | { op: "cancel"; cred: Cred }
  /** With `since`, a long-poll (`?wait=1&since=`): answered at once when the status differs. */
  | { op: "get"; cred: Cred; since?: HandoffStatus }
  /** The app reports what it did next: with the redeeming answer's `session`, or the link alone. */
  | { op: "event"; type: "app_open" | "converted"; proof: "session" | "link" }
  /** `runDurableObjectAlarm`: answers `ran` (status 0), whether an alarm was set. */
  | { op: "alarm" };

/** What an answer showed, reduced to what the model decides. */
export interface Seen {
  status: number;
  error?: string;
  /** A refusal's `details.status`: the handoff's status, told only to a caller the object let in. */
  state?: HandoffStatus;
  /** The handoff's status in a 200 view (decide, cancel, get). */
  view?: View;
  /** A resolve's 200: the payload, who made it, and the redemption time its session is signed from. */
  redeemed?: { payload: unknown; created_by: string; redeemedAt: number };
  /** A long-poll's `changed`. */
  changed?: boolean;
  /** The alarm: whether one was set. */
  ran?: boolean;
  /** A resolve's 202: whether it issued a claim. */
  issuedClaim?: boolean;
}

export interface View {
  status: HandoffStatus;
  scanned_at: number | null;
  approved_at: number | null;
  redeemed_at: number | null;
  ended_at: number | null;
  redeemable_until: number | null;
}

/** The once-only steps whose hops the Worker sends (docs/handoffs.md § Hops). */
export type Step =
  | "scanned"
  | "landing"
  | "approved"
  | "denied"
  | "cancelled"
  | "redeemed"
  | "app_open"
  | "converted";

export interface World {
  confirm: "none" | "pc";
  createdBy: "server" | "page";
  payload: unknown;
  status: HandoffStatus | "purged";
  expiresAt: number;
  /** `QB_REDEEM_WINDOW` of the Worker that made it (the object keeps it in the record), ms. */
  redeemWindowMs: number;
  scannedAt: number | null;
  approvedAt: number | null;
  redeemedAt: number | null;
  endedAt: number | null;
  /** Whose claim the object holds the hash of (the claimant, then the redeemer). */
  claimHolder: ClaimRef | null;
  replayUntil: number | null;
  steps: Step[];
  /** The object's `expired` hop (a random id): sent once, when it expired. */
  expiredHop: boolean;
  /**
   * The steps whose once-only hops the object sends a last time (store/resend-hops.ts): a
   * redemption's when its replay window closes, an unredeemed handoff's when it is deleted.
   */
  objectSends: Step[];
  previewed: number;
  rejected: number;
}
