// The console's freshness line (src/client/console/funnel-freshness.js): the funnel answer's
// `freshness` block in the page's words and formats, for the states a marketer meets (keeping up,
// catching up after a burst, requests in the spool, dead letters, nothing counted), in every
// console language. The page's clock is a parameter: no test depends on when it runs.
import { describe, expect, it } from "vitest";
import {
  BEHIND_MS,
  type Freshness,
  freshnessLine,
} from "../../src/client/console/funnel-freshness.js";
import { words } from "../../src/client/console/words.js";

const NOW = Date.UTC(2026, 11, 7, 14, 30);
const MINUTE = 60_000;
type Lang = keyof typeof words;
const LANGS = Object.keys(words) as Lang[];
/** The locale the page formats with (page-lang.js): Simplified Chinese as mainland China writes it. */
const localeOf = (lang: Lang) => (lang === "zh" ? "zh-CN" : lang);
/** The page's `t` for one language, without its bidi isolation (not what is checked here). */
const sayIn =
  (lang: Lang) =>
  (key: string, vars: Record<string, string | number> = {}) =>
    ((words[lang] as Record<string, string>)[key] ?? `?${key}`).replace(/\{(\w+)\}/g, (m, k) =>
      k in vars ? String(vars[k]) : m,
    );
const line = (f: Freshness | null, lang: Lang = "en", now = NOW) =>
  freshnessLine(f, now, sayIn(lang), localeOf(lang));

const block = (over: Partial<Freshness> = {}, pending: Partial<Freshness["pending"]> = {}) => ({
  counted_through: NOW - 2 * MINUTE,
  last_counted_at: NOW - 2 * MINUTE + 3_000,
  ...over,
  pending: {
    spool: { count: 0, more: false, oldest_at: null },
    dead_letters: { count: 0, more: false },
    ...pending,
  },
});
const time = (at: number, lang: Lang = "en") =>
  new Intl.DateTimeFormat(localeOf(lang), { timeStyle: "short" }).format(at);

describe("the console's freshness line", () => {
  it("says nothing without the block (a server before it)", () => {
    expect(line(null)).toBe("");
  });

  it("keeping up: how long ago the newest counted request was", () => {
    expect(line(block())).toBe("Counted up to 2 minutes ago.");
    expect(
      line(block({ counted_through: NOW - 3 * 3_600_000, last_counted_at: NOW - 3 * 3_600_000 })),
    ).toBe("Counted up to 3 hours ago.");
  });

  it("a writer's clock ahead of the page's reads as now, never as the future", () => {
    expect(line(block({ counted_through: NOW + 90_000, last_counted_at: NOW + 91_000 }))).toBe(
      "Counted up to this minute.",
    );
  });

  it("catching up: the consumer counts requests made long before its batch", () => {
    const through = NOW - 40 * MINUTE;
    const f = block({ counted_through: through, last_counted_at: through + BEHIND_MS + 1 });
    expect(line(f)).toBe(`Catching up: counted up to ${time(through)}.`);
    // Just inside the margin it is keeping up.
    const close = block({ counted_through: through, last_counted_at: through + BEHIND_MS });
    expect(line(close)).toBe("Counted up to 40 minutes ago.");
  });

  it("a time on another day carries its date", () => {
    const through = NOW - 30 * 3_600_000;
    const f = block({ counted_through: through, last_counted_at: NOW - 60_000 });
    const dated = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(
      through,
    );
    expect(line(f)).toBe(`Catching up: counted up to ${dated}.`);
  });

  it("requests in the spool: catching up, and how many wait (a capped count shows +)", () => {
    const spool = { count: 3, more: false, oldest_at: NOW - 5 * MINUTE };
    expect(line(block({}, { spool }))).toBe(
      `Catching up: counted up to ${time(NOW - 2 * MINUTE)}. Requests waiting to be counted: 3.`,
    );
    const many = { count: 1000, more: true, oldest_at: NOW - 5 * MINUTE };
    expect(line(block({}, { spool: many }))).toContain("Requests waiting to be counted: 1,000+.");
  });

  it("dead letters are named but are not catching up (they wait for a replay)", () => {
    expect(line(block({}, { dead_letters: { count: 100, more: true } }))).toBe(
      "Counted up to 2 minutes ago. Dead letters waiting for a replay: 100+.",
    );
  });

  it("nothing counted in the last day, with what waits", () => {
    const f = block(
      { counted_through: null, last_counted_at: null },
      { spool: { count: 2, more: false, oldest_at: NOW - MINUTE } },
    );
    expect(line(f)).toBe("Nothing counted in the last day. Requests waiting to be counted: 2.");
    expect(line(block({ counted_through: null, last_counted_at: null }, { spool: null }))).toBe(
      "Nothing counted in the last day.",
    );
  });

  it("every console language fills every placeholder, with its own relative times, clock and digits", () => {
    for (const lang of LANGS) {
      const locale = localeOf(lang);
      const ok = line(block({}, { dead_letters: { count: 1234, more: false } }), lang);
      expect(ok, lang).not.toMatch(/[{}]|\?f\./);
      expect(ok, lang).toContain(
        new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-2, "minute"),
      );
      expect(ok, lang).toContain(new Intl.NumberFormat(locale).format(1234));
      const spool = { count: 5, more: true, oldest_at: NOW - MINUTE };
      const behind = line(block({}, { spool }), lang);
      expect(behind, lang).not.toMatch(/[{}]|\?f\./);
      expect(behind, lang).toContain(time(NOW - 2 * MINUTE, lang));
      expect(behind, lang).toContain(`${new Intl.NumberFormat(locale).format(5)}+`);
      const none = line(block({ counted_through: null, last_counted_at: null }), lang);
      expect(none, lang).not.toMatch(/[{}]|\?f\./);
      if (lang !== "en")
        expect(none, lang).not.toBe(line(block({ counted_through: null, last_counted_at: null })));
    }
  });
});
