/**
 * What a QR login's Durable Object stores: its one record, the parts of it (the PC asking, the
 * phone that scanned, how close they looked) and a fresh record at creation. Pure types and one
 * constructor; the state machine that moves a record from status to status is core/login.ts.
 * Every field, and how long it is kept: docs/storage.md (LoginObject).
 */
import type { HandoffCreator } from "./handoff-parties";
import type { LoginHopsKept } from "./login-hops";

export const LOGIN_STATUSES = [
  "pending",
  "scanned",
  "approved",
  "denied",
  "expired",
  "exchanged",
  "burnt",
] as const;
export type LoginStatus = (typeof LOGIN_STATUSES)[number];

/**
 * Who made a login, with the handoff's names and values: `server`, a secret key (or the admin
 * key); `page`, a publishable key — public, so its `metadata` may be anyone's words.
 */
export type LoginCreator = HandoffCreator;

/** Who is asking: the PC's browser and place, captured when the login is created. */
export interface LoginRequester {
  platform: string;
  browser: string | null;
  os: string | null;
  country: string | null;
  city: string | null;
  region: string | null;
  colo: string | null;
  /** The page's `Origin` (as the browser sent it, or as a secret-key caller stated it). */
  origin: string | null;
}

/** The phone that scanned, as its request described it. */
export interface LoginApprover {
  platform: string;
  os: string | null;
  browser: string | null;
  country: string | null;
  city: string | null;
}

/** How close the phone and the PC looked when the phone scanned. */
export interface LoginProximity {
  /** Same salted IPv4 /24 or IPv6 /48; null when either address was unknown. */
  same_network: boolean | null;
  /** Between the two `request.cf` locations, whole km; null when either was unknown. */
  distance_km: number | null;
}

/** A place as `request.cf` gives it (city level), rounded to 0.01°. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Everything a login's Durable Object stores (one record; times are unix ms). */
export interface LoginRecord {
  id: string;
  status: LoginStatus;
  /** The creating key's id (`key_…`, or "admin"). */
  key_id: string;
  /** Hex SHA-256 of the watch secret (the secret itself is never stored). */
  watch_hash: string;
  /** base64url SHA-256 of the PC page's `code_verifier` (PKCE S256). */
  code_challenge: string;
  metadata: Record<string, string> | null;
  /**
   * What kind of key made it, so the app can tell the shop's words in `metadata` from anyone's.
   * Absent from records written before it was kept: read it as `created_by ?? null`.
   */
  created_by?: LoginCreator;
  requester: LoginRequester;
  /** Salted hash of the PC's network prefix; dropped once the phone has scanned. */
  network: string | null;
  /** The PC's place; dropped once the phone has scanned. */
  location: GeoPoint | null;
  created_at: number;
  expires_at: number;
  /** Hex SHA-256 of the `scan` handle given to the first scanner (the latest, after a retry). */
  scan_hash: string | null;
  /**
   * Hex SHA-256 of the `claim` the first scanner sent, so its retry after a lost answer is known
   * as the same app; null without one, and once the login leaves `scanned`. Absent from records
   * written before it existed: read it as `scan_claim_hash ?? null`.
   */
  scan_claim_hash?: string | null;
  scanned_at: number | null;
  approver: LoginApprover | null;
  proximity: LoginProximity | null;
  /** Scans refused because another phone had scanned first (the PC is warned of each). */
  other_scans: number;
  /** From the approving backend; kept until exchanged (or the login ends). */
  subject: string | null;
  /** JSON text from the approving backend, or null. */
  claims: string | null;
  approved_at: number | null;
  /**
   * Id of the key that approved (`key_…`, or "admin"), so the exchanging backend can tell its own
   * login service's approval from another key's. Kept after the end (an id, nothing personal).
   * Absent from records written before it existed: read it as `approved_by ?? null`.
   */
  approved_by?: string | null;
  /**
   * Hex SHA-256 of the approval (login id, subject, claims, approving key), so the same approval
   * repeated after the exchange dropped the subject and claims is still known as a repeat. Kept
   * until the record is deleted. Absent from records written before it existed: read it as
   * `approval_hash ?? null`.
   */
  approval_hash?: string | null;
  /** Hex SHA-256 of the one-time ticket. */
  ticket_hash: string | null;
  denied_by: "app" | "backend" | "policy" | null;
  denied_reason: string | null;
  exchanged_at: number | null;
  /** When it became denied, expired, exchanged or burnt. */
  ended_at: number | null;
  /** Time of the last transition: the `at` of status messages. */
  changed_at: number;
  /**
   * The request facts of each step's hop (core/login-hops.ts), kept until the login is deleted,
   * when the object sends those hops a last time. Absent from records written before it.
   */
  hop_facts?: LoginHopsKept | null;
}

/** What creating a login needs: the record's fields that the creator decides. */
export type NewLogin = Pick<
  LoginRecord,
  | "id"
  | "key_id"
  | "watch_hash"
  | "code_challenge"
  | "metadata"
  | "requester"
  | "network"
  | "location"
  | "expires_at"
> & { created_by: LoginCreator };

/**
 * A fresh pending record.
 *
 * @example
 * const rec = newLogin({ id, key_id: "key_x", watch_hash, code_challenge, metadata: null,
 *   created_by: "page", requester, network, location, expires_at: now + 60_000 }, now);
 */
export function newLogin(input: NewLogin, now: number): LoginRecord {
  return {
    ...input,
    status: "pending",
    created_at: now,
    scan_hash: null,
    scan_claim_hash: null,
    scanned_at: null,
    approver: null,
    proximity: null,
    other_scans: 0,
    subject: null,
    claims: null,
    approved_at: null,
    approved_by: null,
    approval_hash: null,
    ticket_hash: null,
    denied_by: null,
    denied_reason: null,
    exchanged_at: null,
    ended_at: null,
    changed_at: now,
    hop_facts: null,
  };
}
