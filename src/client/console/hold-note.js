// What an endpoint's page says about its pause and hold: that the circuit breaker paused it,
// how many deliveries it holds, the bounds of a pause, and what a pause did not keep (their
// events are in the hop export). Pure (words and formats are given), so the unit tests read it
// as the console shows it.

/** A pause's bounds, as core/webhook-hold-limits.ts `HOLD_LIMITS` sets them (a unit test checks). */
export const HOLD_DAYS = 7;
export const HOLD_MAX = 100_000;

/**
 * The lines about endpoint `w`'s hold, "" for one with nothing to say: `held` (while it holds
 * any, or is paused), `limit` (while paused), `notKept` (when its current or last pause did not
 * keep some). `t(key, vars)` gives the words, `num` formats a count and `day` a time.
 * @example holdNotes({ enabled: false, held: 3, hold_expired: null }, t, String, String).held
 * // "Held now: 3"
 */
export function holdNotes(w, t, num, day) {
  const holds = typeof w.held === "number" && (w.held > 0 || !w.enabled);
  const e = w.hold_expired;
  return {
    held: holds ? t("webhook.held", { n: num(w.held) }) : "",
    limit: w.enabled ? "" : t("webhook.holdLimit", { days: num(HOLD_DAYS), max: num(HOLD_MAX) }),
    notKept: e ? t("webhook.notKept", { n: num(e.count), from: day(e.from), to: day(e.to) }) : "",
  };
}

/**
 * The line saying the circuit breaker paused endpoint `w` (its receiver kept failing), "" for a
 * running endpoint or one paused by hand. `day` formats the time it was paused.
 * @example failingNote({ enabled: false, paused_reason: "failing", paused_at: 0 }, t, String)
 * // "Paused automatically on 0: its receiver kept failing. …"
 */
export function failingNote(w, t, day) {
  return !w.enabled && w.paused_reason === "failing"
    ? t("webhook.pausedFailing", { when: day(w.paused_at) })
    : "";
}

/** The longest range the funnel takes, as limits.ts `LIMITS.maxRangeDays` (a unit test checks). */
export const RANGE_DAYS = 366;

const DAY = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * The funnel's query (`?from=&to=`, days) whose hop export holds the events a pause did not
 * keep: their UTC days widened by one on each side, so the reporting time zone's days holding
 * them are inside whatever that zone is. A pause whose events span more than the funnel takes
 * (it would show its default days instead) links the newest {@link RANGE_DAYS} of them.
 * @example exportQuery({ count: 2, from: Date.UTC(2026, 0, 5, 12), to: Date.UTC(2026, 0, 6) })
 * // "?from=2026-01-04&to=2026-01-07"
 */
export function exportQuery(e) {
  const to = isoDay(e.to + DAY);
  const first = Date.parse(to) - (RANGE_DAYS - 1) * DAY;
  return `?from=${isoDay(Math.max(e.from - DAY, first))}&to=${to}`;
}
