/**
 * The hops of a handoff's steps that happen before (or instead of) its redemption — the
 * person's scan with its `landing` (`GET /h/<token>`), the scan recorded by a `confirm: "pc"`
 * claim call, the PC's `approved`, `denied` or `cancelled` — as once-only rows built from the handoff's
 * record alone. Pure: the object returns them and the route sends them.
 *
 * The Worker sends a step's hops after the object committed the step, and an isolate that dies
 * in between sends nothing; nothing asks again (a second scan changes nothing, a second approval
 * is `409`, a second cancel changes nothing). So each step keeps the facts of the request that made it ({@link HandoffHopFacts},
 * in the record's `hop_facts`), its hops get once-only ids derived from the handoff id and the hop
 * ({@link handoffEventId}: each step happens at most once), and the object sends every kept hop a
 * last time: with a redemption's hops when its replay window closes, else before it deletes the
 * handoff (store/resend-hops.ts). Every copy is the same row, and the hop log counts one
 * (store/hop-ingest.ts). Only the IP hash of a person's scan is the sender's: the object's copy
 * has none. `created` keeps random ids (docs/handoffs.md says why).
 */
import { appEventId } from "./attribution";
import type { HandoffRecord } from "./handoff-record";
import type { HopInput, RequestFacts } from "./hop-input";

/** The steps whose hops a handoff keeps the facts of. */
export type HandoffStepHop = "scanned" | "approved" | "denied" | "cancelled";

/** What a step's hops take from its request besides the record. */
export interface HandoffHopFacts extends RequestFacts {
  /** The scan's `detail.via` (`page`, `same_device`, or the app's way in); unused otherwise. */
  via: string | null;
  bot: boolean;
}

/** The events whose hops the record keeps the facts of (core/handoff.ts `step`). */
export const KEPT_HOP_OF: Readonly<Partial<Record<string, HandoffStepHop>>> = {
  scan: "scanned",
  approve: "approved",
  deny: "denied",
  cancel: "cancelled",
};

/** The kept facts of each step a handoff went through (absent from older records). */
export type HandoffHopsKept = Partial<Record<HandoffStepHop, HandoffHopFacts>>;

/** A step's hop as it crosses RPC from the object to the Worker: its detail is plain text. */
export type HandoffStepHopInput = Omit<HopInput, "detail"> & {
  detail?: Record<string, string | null>;
};

/**
 * The once-only id of handoff `id`'s `hop`: the same for every copy. A handoff goes through each
 * step once (its scan by the page or by the app, never both), so the id and the hop suffice; the
 * redemption's hops use the same ids (core/redemption-hops.ts).
 *
 * @example
 * await handoffEventId("8QK3T0M1ZC7X9R2B4N6D", "landing") // "ev_…" (32 hex)
 */
export function handoffEventId(
  id: string,
  hop: HandoffStepHop | "landing" | "redeemed",
): Promise<string> {
  return appEventId(`handoff:${id}`, hop, "");
}

/**
 * The once-only hops of `rec`'s step `hop`, from the record alone: for a scan through the landing
 * page `scanned` and `landing`, else the one hop; empty when the record did not go through that
 * step or kept no facts of it.
 *
 * @example
 * const hops = await handoffStepHops(rec, "scanned"); // [{ hop: "scanned", event_id: "ev_…" }, { hop: "landing", … }]
 */
export async function handoffStepHops(
  rec: HandoffRecord,
  hop: HandoffStepHop,
): Promise<HandoffStepHopInput[]> {
  const facts = rec.hop_facts?.[hop];
  const at = atOf(rec, hop);
  if (!facts || at === null) return [];
  const { via, bot, ...request_facts } = facts;
  const base = { kind: "handoff" as const, subject_id: rec.id, created_at: rec.created_at, at };
  const once = { ...base, bot, request_facts };
  if (hop !== "scanned") return [{ ...once, hop, event_id: await handoffEventId(rec.id, hop) }];
  const device = rec.scan_device ?? rec.device;
  const who = { ...once, platform: device?.platform ?? null, in_app: device?.in_app ?? null };
  const detail = { via, browser: device?.browser ?? null, os: device?.os ?? null };
  const scanned = { ...who, hop, detail, event_id: await handoffEventId(rec.id, "scanned") };
  if (rec.scanned_via !== "page") return [scanned];
  return [scanned, { ...who, hop: "landing", event_id: await handoffEventId(rec.id, "landing") }];
}

/**
 * Every once-only hop `rec` kept the facts of, in the order of the steps: what the object sends
 * a last time.
 *
 * @example
 * for (const input of await keptHandoffHops(rec)) recordHop(scope, input);
 */
export async function keptHandoffHops(rec: HandoffRecord): Promise<HandoffStepHopInput[]> {
  const order: HandoffStepHop[] = ["scanned", "approved", "denied", "cancelled"];
  return (await Promise.all(order.map((hop) => handoffStepHops(rec, hop)))).flat();
}

/** When step `hop` happened, or null when the record did not go through it. */
function atOf(rec: HandoffRecord, hop: HandoffStepHop): number | null {
  switch (hop) {
    case "scanned":
      return rec.scanned_at;
    case "approved":
      return rec.approved_at;
    case "denied":
    case "cancelled":
      // The step that ended it was its last transition: `changed_at` stays its time.
      return rec.status === hop ? rec.changed_at : null;
  }
}
