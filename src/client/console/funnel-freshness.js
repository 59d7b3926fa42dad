// How current the funnel is, in the page's words: the `freshness` block of the funnel answer
// (docs/stats.md) as one line under the filters. Apart from funnel.js (which reads the page) so a
// unit test can check it with the engine's own Intl.

/**
 * How far the newest counted request may trail the batch that counted it before the line says
 * the counting is catching up: a live batch counts requests a few seconds old.
 */
export const BEHIND_MS = 2 * 60_000;

/** "5 minutes ago", "this minute", "3 hours ago" in `locale`, never in the future. */
function ago(ms, locale) {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const minutes = Math.round(Math.max(0, ms) / 60_000);
  if (minutes < 60) return rtf.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  return hours < 48 ? rtf.format(-hours, "hour") : rtf.format(-Math.round(hours / 24), "day");
}

/** A time of day in `locale`, with its date when it is not `now`'s day. */
function clock(at, now, locale) {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return new Intl.DateTimeFormat(
    locale,
    sameDay ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" },
  ).format(at);
}

/** A capped count as a figure: "1,000+" when there are more. */
const capped = ({ count, more }, locale) =>
  `${new Intl.NumberFormat(locale).format(count)}${more ? "+" : ""}`;

/**
 * The freshness line: "Counted up to 2 minutes ago." when the counting keeps up; "Catching up:
 * hops up to 14:02 are counted." when the newest batch counted requests made well before it, or
 * requests wait in the spool; then what waits (the spool, the dead letters). "" without the block
 * (a server before it). `say` is the page's `t`; `now` the page's clock (unix ms).
 * @example freshnessLine(f, Date.now(), t, "en") // "Counted up to 1 minute ago."
 */
export function freshnessLine(freshness, now, say, locale) {
  if (!freshness) return "";
  const { counted_through: through, last_counted_at: last, pending } = freshness;
  const spool = pending.spool;
  const waiting = spool && spool.count > 0;
  const parts = [];
  if (through === null) parts.push(say("f.fresh.none"));
  else if (waiting || (last !== null && last - through > BEHIND_MS))
    parts.push(say("f.fresh.behind", { time: clock(through, now, locale) }));
  else parts.push(say("f.fresh.ok", { ago: ago(now - through, locale) }));
  if (waiting) parts.push(say("f.fresh.spool", { n: capped(spool, locale) }));
  if (pending.dead_letters.count > 0)
    parts.push(say("f.fresh.dead", { n: capped(pending.dead_letters, locale) }));
  return parts.join(" ");
}
