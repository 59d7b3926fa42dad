// The model of one QR login that test/integration/model-login.test.ts checks the Worker against:
// what each call must answer and what it leaves behind, written from docs/logins.md and
// src/core/login.ts, not from the object's code. Pure: a state is a plain value and `judge`
// (model-login-judge.ts) returns the next one, so the concurrent test can try every order of a
// burst of calls.
import { APPROVE_WINDOW_MS, LOGIN_PURGE_GRACE_MS, TICKET_TTL_MS } from "../../src/core/login";

export type Status =
  | "pending"
  | "scanned"
  | "approved"
  | "denied"
  | "expired"
  | "exchanged"
  | "burnt"
  | "purged";

/** Who calls: the backend's secret key, another secret key, the publishable key, or nobody. */
export type Caller = "backend" | "other" | "publishable" | "none";
export type Phone = "A" | "B";
/** The login's QR link, one with a changed character, or an authentic one of this login expired. */
export type Link = "real" | "forged" | "expired";

/** A call as sent: handles, claims and subjects are the concrete values. */
export type Call =
  | { op: "scan"; phone: Phone; claim: string | null; link: Link }
  | { op: "open"; link: Link }
  | { op: "approve"; by: Caller; handle: string; subject: string; claims?: object; sameNet?: true }
  | { op: "deny"; by: Caller; handle: string }
  | { op: "get"; as: Caller | "watch" | "wrong_watch" }
  | {
      op: "exchange";
      by: Caller;
      ticket: "real" | "forged";
      verifier: "right" | "wrong";
      approvedBy?: "backend" | "other";
    };

export interface Seen {
  status: number;
  body: Record<string, unknown>;
}

/** Step hops the Worker sends (each at most once) and the `rejected` ones it records. */
export interface HopCounts {
  scanned: number;
  approved: number;
  denied: number;
  exchanged: number;
  rejected: number;
}

export interface LoginModel {
  status: Status;
  /** The QR's end (unix ms); the link is refused at the edge from then on. */
  expiresAt: number;
  scannedAt: number | null;
  approvedAt: number | null;
  endedAt: number | null;
  /** The one scan handle that decides; the scanner's earlier handles stop working. */
  handle: string | null;
  /** The first scanner's claim, kept while the login is scanned. */
  claim: string | null;
  scanner: Phone | null;
  /** What was approved, and by which key (kept once approved, whatever happens next). */
  approval: { subject: string; claims: string | null; by: "backend" | "other" } | null;
  otherScans: number;
  hops: HopCounts;
  /** Successful exchanges: what each handed over. */
  exchanged: { subject: string; claims: string | null; by: string }[];
}

export interface World {
  loginId: string;
  createdBy: "page" | "server";
  keyIds: { backend: string; other: string };
}

export function newModel(expiresAt: number): LoginModel {
  return {
    status: "pending",
    expiresAt,
    scannedAt: null,
    approvedAt: null,
    endedAt: null,
    handle: null,
    claim: null,
    scanner: null,
    approval: null,
    otherScans: 0,
    hops: { scanned: 0, approved: 0, denied: 0, exchanged: 0, rejected: 0 },
    exchanged: [],
  };
}

/** The deadline of the current state, or null once ended. */
export function deadlineOf(m: LoginModel): number | null {
  if (m.status === "pending") return m.expiresAt;
  if (m.status === "scanned") return m.scannedAt! + APPROVE_WINDOW_MS;
  if (m.status === "approved") return m.approvedAt! + TICKET_TTL_MS;
  return null;
}

/** When an ended login is deleted (its alarm), or null while live or gone. */
export const purgeAtOf = (m: LoginModel) =>
  m.endedAt !== null && m.status !== "purged" ? m.endedAt + LOGIN_PURGE_GRACE_MS : null;

export const end = (m: LoginModel, status: Status, t: number): LoginModel => ({
  ...m,
  status,
  endedAt: t,
  claim: null,
});

/** The login as any access at `t` finds it: a passed deadline expires it (deny by default). */
export function touch(m: LoginModel, t: number): LoginModel {
  const due = deadlineOf(m);
  return due !== null && t >= due ? end(m, "expired", t) : m;
}

/** The object's alarm at `t`: expire when due, delete once the grace period has passed. */
export function alarm(m: LoginModel, t: number): LoginModel {
  if (m.status === "purged") return m;
  const now = touch(m, t);
  const purge = purgeAtOf(now);
  return purge !== null && t >= purge ? { ...now, status: "purged" } : now;
}

export type Verdict = { ok: true; model: LoginModel } | { ok: false; why: string };

/** The refusal a step not allowed in `status` gets (docs/logins.md, each endpoint). */
export function refusalOf(status: Status): [number, string] {
  if (status === "expired") return [410, "expired"];
  if (status === "denied") return [410, "gone"];
  if (status === "exchanged" || status === "burnt") return [409, "already_exchanged"];
  if (status === "purged") return [404, "not_found"];
  return [409, "conflict"];
}

export const fail = (seen: Seen, status: number, error: string): string | null =>
  seen.status === status && seen.body.error === error
    ? null
    : `expected ${status} ${error}, got ${seen.status} ${JSON.stringify(seen.body).slice(0, 200)}`;

export const refused = (m: LoginModel, seen: Seen, status: number, error: string): Verdict => {
  const why = fail(seen, status, error);
  return why ? { ok: false, why } : { ok: true, model: m };
};

export const expectOk = (seen: Seen, fields: Record<string, unknown>): string | null => {
  if (seen.status !== 200) return `expected 200, got ${seen.status} ${JSON.stringify(seen.body)}`;
  for (const [k, v] of Object.entries(fields))
    if (JSON.stringify(seen.body[k]) !== JSON.stringify(v))
      return `${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(seen.body[k])}`;
  return null;
};

export const keyRefusal = (by: Caller): [number, string] | null =>
  by === "publishable" ? [403, "forbidden"] : by === "none" ? [401, "unauthorized"] : null;
