// A figure beside the same figure of the period before it ("▲ +12 %" on a KPI tile), with the
// sentence a screen reader says instead ("up 12 % from 1,100 in the previous 30 days"). Pure:
// the words come from `say` and the numbers are formatted in `locale`.

/**
 * How `current` moved from `previous`: null when both are 0 (nothing to say), "new" when only
 * the previous one is 0 (no percentage of nothing), else up, down or same with the ratio.
 * @example periodChange(1232, 1100) // { dir: "up", ratio: 0.12 }
 */
export function periodChange(current, previous) {
  if (!current && !previous) return null;
  if (!previous) return { dir: "new", ratio: null };
  const ratio = (current - previous) / previous;
  return { dir: ratio > 0 ? "up" : ratio < 0 ? "down" : "same", ratio };
}

const ARROW = { up: "▲", down: "▼", same: "=" };

/**
 * The change as shown (`short`) and as said (`long`), or null when there is none to show.
 * `days` is the length of both periods; `prevText` how the previous figure is written (money,
 * say), by default a number in `locale`. A change under 10 % keeps one decimal.
 * @example
 * changeText(1232, 1100, 30, "en", t)
 * // { dir: "up", short: "▲ +12%", long: "up 12% from 1,100 in the previous 30 days" }
 */
export function changeText(current, previous, days, locale, say, prevText) {
  const c = periodChange(current, previous);
  if (!c) return null;
  if (c.dir === "new")
    return { dir: "new", short: say("change.new"), long: say("change.newLong", { n: days }) };
  const digits = Math.abs(c.ratio) < 0.1 ? 1 : 0;
  const percent = (signDisplay) =>
    new Intl.NumberFormat(locale, {
      style: "percent",
      maximumFractionDigits: digits,
      signDisplay,
    });
  const prev = prevText ?? new Intl.NumberFormat(locale).format(previous);
  return {
    dir: c.dir,
    short: `${ARROW[c.dir]} ${percent("exceptZero").format(c.ratio)}`,
    long: say(`change.${c.dir}`, {
      pct: percent("never").format(Math.abs(c.ratio)),
      prev,
      n: days,
    }),
  };
}

const dayMs = (day) => Date.parse(`${day}T00:00:00Z`);

/**
 * How many days `from` to `to` (YYYY-MM-DD) span, both included.
 * @example dayCount("2026-12-01", "2026-12-07") // 7
 */
export function dayCount(from, to) {
  return Math.round((dayMs(to) - dayMs(from)) / 864e5) + 1;
}

/**
 * The days from `from` to `to` (YYYY-MM-DD, inclusive) and the same number of days just before.
 * @example previousRange("2026-03-01", "2026-03-30") // { days: 30, from: "2026-01-30", to: "2026-02-28" }
 */
export function previousRange(from, to) {
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const days = dayCount(from, to);
  return { days, from: iso(dayMs(from) - days * 864e5), to: iso(dayMs(from) - 864e5) };
}
