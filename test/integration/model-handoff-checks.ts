// The end-of-run checks of test/integration/model-handoff.test.ts on the hops a run's handoff
// produced, the form its answers are compared in, and the orders a concurrent batch may take.
import type { HopRow } from "../../src/core/hop-row";
import type { Seen, Step, World } from "./model-handoff-ops";

const STEPS: Step[] = [
  "scanned",
  "landing",
  "approved",
  "denied",
  "cancelled",
  "redeemed",
  "app_open",
  "converted",
];

/**
 * Each step's hop, whoever sent it (the Worker, or the object a last time), under one once-only
 * id, present exactly when the step happened; the Worker's previews and rejections as many as
 * the model's.
 */
export function hopsAgree(worker: HopRow[], object: HopRow[], w: World): boolean {
  const all = [...worker, ...object];
  const count = (hop: string) => worker.filter((r) => r.hop === hop).length;
  return (
    STEPS.every((step) => {
      const ids = new Set(all.filter((r) => r.hop === step).map((r) => r.event_id));
      const once = [...ids].every((id) => id.startsWith("ev_"));
      return once && ids.size === (w.steps.includes(step) ? 1 : 0);
    }) &&
    count("previewed") === w.previewed &&
    count("rejected") === w.rejected &&
    objectSent(object, w, "exactly")
  );
}

/** The object sent the `expired` hop once if it expired, and the kept steps' hops it should. */
export function objectSent(rows: HopRow[], w: World, how: "at least" | "exactly"): boolean {
  const hops = new Set(rows.map((r) => r.hop));
  const expired = rows.filter((r) => r.hop === "expired").length;
  const want = w.objectSends.every((step) => hops.has(step)) && expired >= (w.expiredHop ? 1 : 0);
  if (how === "at least") return want;
  const only = [...hops].every((hop) => hop === "expired" || w.objectSends.includes(hop as Step));
  return want && only && expired === (w.expiredHop ? 1 : 0);
}

/** A seen answer as JSON with its keys in one order. */
export function canonical(s: Seen): unknown {
  return JSON.parse(
    JSON.stringify(s, (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort())
        : v,
    ),
  );
}

/** True when the object's record is the same in both worlds (counters and hops aside). */
export function sameRecord(a: World, b: World): boolean {
  const record = ({ steps, objectSends, expiredHop, previewed, rejected, ...rec }: World) => rec;
  return JSON.stringify(record(a)) === JSON.stringify(record(b));
}

/** Every order of `items` (a batch is at most five operations: 120 orders). */
export function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}
