/**
 * What a handoff's Durable Object stores: its statuses, its one record and a fresh record at
 * creation. Pure types and one constructor, apart from core/handoff.ts (the state machine that
 * moves a record from status to status and its deadlines) because most readers of a record —
 * the object's storage, hops, replay, the API schemas — need its shape, not its rules. Every
 * field, and how long it is kept: docs/storage.md (HandoffObject).
 */
import type { HandoffHopsKept } from "./handoff-hops";
import type { HandoffCreator, HandoffDevice } from "./handoff-parties";
import type { ReplayHops } from "./handoff-replay";

/** Every status a handoff can have (the API's `status` enum; transitions: core/handoff.ts). */
export const HANDOFF_STATUSES = [
  "pending",
  "scanned",
  "awaiting_confirmation",
  "approved",
  "redeemed",
  "cancelled",
  "expired",
  "denied",
] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** Who lets the app redeem: nobody (`none`), or the PC showing the code (`pc`). */
export type ConfirmMode = "none" | "pc";

/** Everything a handoff's Durable Object stores (one record; times are unix ms). */
export interface HandoffRecord {
  id: string;
  status: HandoffStatus;
  confirm: ConfirmMode;
  /** JSON text given at creation, returned once to the redeemer (null: none). */
  payload: string | null;
  /** In-app path to open, e.g. "/cart/42". */
  path: string | null;
  metadata: Record<string, string> | null;
  /** The creating key's id (`key_…`, or "admin"). */
  key_id: string;
  /** What kind of key made it; absent from records written before it existed. */
  created_by?: HandoffCreator;
  /** Hex SHA-256 of the watch secret (the secret itself is never stored). */
  watch_hash: string;
  /** Hex SHA-256 of the app's claim: its claimant's (`confirm: "pc"`), or its redeemer's. */
  claim_hash: string | null;
  /**
   * Until when (unix ms) the redeemer's claim gets its answer again (core/handoff-replay.ts), and
   * when the object sends the redemption's hops a last time (with or without a claim).
   */
  replay_until?: number | null;
  /** What its hops are sent again from while `replay_until` lasts (core/redemption-hops.ts). */
  replay_hops?: ReplayHops | null;
  /**
   * The request facts of its scan, approval, denial or cancel, for their hops' copies
   * (core/handoff-hops.ts).
   */
  hop_facts?: HandoffHopsKept | null;
  created_at: number;
  expires_at: number;
  /** Seconds a scanned handoff stays redeemable. */
  redeem_window: number;
  scanned_at: number | null;
  /** How the first scan reached us: the landing page, or the app resolving directly. */
  scanned_via: "page" | "app" | null;
  /** The device shown to the PC: the scanner's, then the claimant's (`confirm: "pc"`). */
  device: HandoffDevice | null;
  /**
   * The device of the first scan, never changed: what every later hop is attributed to.
   * Absent from records written before it existed (then `device` is the scan's, or the claimant's).
   */
  scan_device?: HandoffDevice | null;
  claimed_at: number | null;
  approved_at: number | null;
  redeemed_at: number | null;
  /**
   * How the app that redeemed was reached when it said so (`install_referrer`, `app_clip`, …,
   * core/app-via.ts); null or absent when nothing but the scan's `page`/`direct` is known.
   */
  redeemed_via?: string | null;
  /** When it became cancelled / expired / denied / redeemed. */
  ended_at: number | null;
  /** Time of the last transition: the `at` of status messages. */
  changed_at: number;
}

/** What creating a handoff needs: the record's fields that the creator chooses. */
export type NewHandoff = Pick<
  HandoffRecord,
  | "id"
  | "confirm"
  | "payload"
  | "path"
  | "metadata"
  | "key_id"
  | "created_by"
  | "watch_hash"
  | "expires_at"
  | "redeem_window"
>;

/**
 * A fresh pending record.
 *
 * @example
 * const rec = newHandoff({ id, confirm: "none", payload: '{"cart":42}', path: "/cart", metadata: null,
 *   key_id: "key_x", watch_hash, expires_at: now + 120_000, redeem_window: 900 }, now);
 */
export function newHandoff(input: NewHandoff, now: number): HandoffRecord {
  return {
    ...input,
    status: "pending",
    claim_hash: null,
    created_at: now,
    scanned_at: null,
    scanned_via: null,
    device: null,
    scan_device: null,
    claimed_at: null,
    approved_at: null,
    redeemed_at: null,
    ended_at: null,
    changed_at: now,
  };
}
