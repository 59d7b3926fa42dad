/**
 * The hops of a QR login's steps — `scanned`, `approved`, `denied`, `exchanged` — as once-only
 * rows built from the login's record alone. Pure: the object returns them and the route sends
 * them.
 *
 * The Worker sends a step's hop after the object committed the step, and an isolate that dies in
 * between sends nothing; no retry makes it good (a second scan is `409 already_scanned`, a
 * second approve `409`, and an exchange is one-time by design). So each step keeps the facts of
 * the request that made it ({@link LoginHopFacts}, in the record's `hop_facts`), its hop gets a
 * once-only id derived from the login id and the hop ({@link loginEventId}), and the object sends
 * every kept hop a last time before it deletes the login (store/login-object.ts). Every copy is
 * the same row, and the hop log counts one (store/hop-ingest.ts). Only the IP hash of the person's
 * scan is the sender's: the object's copy has none.
 */
import { appEventId } from "./attribution";
import type { HopInput, RequestFacts } from "./hop-input";
import type { LoginEvent } from "./login";
import type { LoginRecord } from "./login-record";

/** The steps whose hop a login keeps the facts of. */
export type LoginStepHop = "scanned" | "approved" | "denied" | "exchanged";

/** What a step's hop takes from its request; the scan's also its in-app browser. */
export interface LoginHopFacts extends RequestFacts {
  in_app?: string | null;
}

/** The kept facts of each step a login went through (absent from older records). */
export type LoginHopsKept = Partial<Record<LoginStepHop, LoginHopFacts>>;

/** A step's hop as it crosses RPC from the object to the Worker: its detail is plain text. */
export type LoginStepHopInput = Omit<HopInput, "detail"> & {
  detail?: Record<string, string | null>;
};

/** The hop of each event that has one; `burn` and `expire` hops are not kept. */
export const LOGIN_STEP_HOPS: Partial<Record<LoginEvent, LoginStepHop>> = {
  scan: "scanned",
  approve: "approved",
  deny: "denied",
  exchange: "exchanged",
};

/**
 * The once-only id of login `id`'s `hop`: the same for every copy. A login goes through each
 * step at most once, so the id and the hop suffice; the `login:` prefix keeps it apart from a
 * handoff's or a session's ids.
 *
 * @example
 * await loginEventId("LG8QK3T0M1ZC7X9R2B4N", "approved") // "ev_…" (32 hex)
 */
export function loginEventId(id: string, hop: LoginStepHop): Promise<string> {
  return appEventId(`login:${id}`, hop, "");
}

/**
 * The once-only hop of `rec`'s step `hop`, built from the record alone, as a list for the Worker
 * to send: empty when the record did not go through that step or kept no facts of it.
 *
 * @example
 * const [input] = await loginStepHops(rec, "approved"); // { hop: "approved", event_id: "ev_…", … }
 */
export async function loginStepHops(
  rec: LoginRecord,
  hop: LoginStepHop,
): Promise<LoginStepHopInput[]> {
  const one = await stepHop(rec, hop);
  return one ? [one] : [];
}

/**
 * Every once-only hop `rec` kept the facts of, in the order of the steps: what the object sends
 * a last time before it deletes the login.
 *
 * @example
 * for (const input of await keptLoginHops(rec)) recordHop(scope, input);
 */
export async function keptLoginHops(rec: LoginRecord): Promise<LoginStepHopInput[]> {
  const order: LoginStepHop[] = ["scanned", "approved", "denied", "exchanged"];
  return (await Promise.all(order.map((hop) => loginStepHops(rec, hop)))).flat();
}

/** The hop of step `hop`, or null when the record did not go through it or kept nothing of it. */
async function stepHop(rec: LoginRecord, hop: LoginStepHop): Promise<LoginStepHopInput | null> {
  const facts = rec.hop_facts?.[hop];
  const at = atOf(rec, hop);
  if (!facts || at === null) return null;
  const { in_app = null, ...request_facts } = facts;
  const base = {
    kind: "login" as const,
    subject_id: rec.id,
    hop,
    created_at: rec.created_at,
    at,
    event_id: await loginEventId(rec.id, hop),
    request_facts,
  };
  switch (hop) {
    case "scanned": {
      const phone = rec.approver;
      const detail = { via: "app", os: phone?.os ?? null, browser: phone?.browser ?? null };
      return { ...base, platform: phone?.platform ?? null, in_app, detail };
    }
    case "approved":
      // The key's id reaches the login.approved webhook: an audit can flag another key's approval.
      return { ...base, detail: { approved_by: rec.approved_by ?? null } };
    case "denied":
      return { ...base, detail: { by: rec.denied_by, reason: rec.denied_reason } };
    case "exchanged":
      return base;
  }
}

/** When step `hop` happened, or null when the record did not go through it. */
function atOf(rec: LoginRecord, hop: LoginStepHop): number | null {
  switch (hop) {
    case "scanned":
      return rec.scanned_at;
    case "approved":
      return rec.approved_at;
    case "denied":
      return rec.status === "denied" ? rec.ended_at : null;
    case "exchanged":
      return rec.exchanged_at;
  }
}
