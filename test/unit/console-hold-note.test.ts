// What an endpoint's console page says about its hold (src/client/console/hold-note.js): how
// many deliveries it holds, a pause's bounds (the server's, core/webhook-hold-limits.ts), and
// what a pause did not keep, with the funnel range whose hop export holds those events.
import { describe, expect, it } from "vitest";
import {
  exportQuery,
  failingNote,
  HOLD_DAYS,
  HOLD_MAX,
  holdNotes,
} from "../../src/client/console/hold-note.js";
import { words } from "../../src/client/console/words.js";
import { HOLD_LIMITS } from "../../src/core/webhook-hold-limits";

const wordsOf =
  (lang: "en" | "de") =>
  (key: string, vars?: Record<string, string | number>): string => {
    const text = (words[lang] as Record<string, string>)[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
  };
const num = (n: number) => new Intl.NumberFormat("en").format(n);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const from = Date.UTC(2026, 0, 5, 12);
const to = Date.UTC(2026, 0, 9, 23, 30);

describe("an endpoint's hold, as its console page says it", () => {
  it("states the server's bounds", () => {
    expect(HOLD_DAYS * 86_400_000).toBe(HOLD_LIMITS.windowMs);
    expect(HOLD_MAX).toBe(HOLD_LIMITS.maxHeld);
  });

  it("a paused endpoint: how many it holds and for how long", () => {
    const notes = holdNotes(
      { enabled: false, held: 1204, hold_expired: null },
      wordsOf("en"),
      num,
      day,
    );
    expect(notes).toEqual({
      held: "Held now: 1,204",
      limit:
        "A pause keeps each event up to 7 days, and 100,000 events at most; beyond that they are not kept.",
      notKept: "",
    });
  });

  it("what a pause did not keep, still said once resumed, with the days of those events", () => {
    const w = { enabled: true, held: 0, hold_expired: { count: 1204, from, to } };
    const notes = holdNotes(w, wordsOf("en"), num, day);
    expect(notes).toEqual({
      held: "",
      limit: "",
      notKept: "Events not kept while paused: 1,204, from 2026-01-05 to 2026-01-09.",
    });
    expect(holdNotes(w, wordsOf("de"), num, day).notKept).toBe(
      "Während der Pause nicht behaltene Ereignisse: 1,204, von 2026-01-05 bis 2026-01-09.",
    );
    // A day wider on each side: the reporting time zone's days holding them are inside.
    expect(exportQuery(w.hold_expired)).toBe("?from=2026-01-04&to=2026-01-10");
  });

  it("an active endpoint still releasing what it held says how many are left", () => {
    const notes = holdNotes(
      { enabled: true, held: 3, hold_expired: null },
      wordsOf("en"),
      num,
      day,
    );
    expect(notes.held).toBe("Held now: 3");
    expect(holdNotes({ enabled: true, hold_expired: null }, wordsOf("en"), num, day).held).toBe("");
  });
});

describe("an endpoint the circuit breaker paused, as its console page says it", () => {
  const at = Date.UTC(2026, 11, 7, 18);
  it("says it was paused automatically, and when", () => {
    for (const lang of ["en", "de"] as const) {
      const text = failingNote(
        { enabled: false, paused_reason: "failing", paused_at: at },
        wordsOf(lang),
        day,
      );
      expect(text).toBe(wordsOf(lang)("webhook.pausedFailing", { when: "2026-12-07" }));
      expect(text).toContain("2026-12-07");
      expect(text).not.toContain("webhook.pausedFailing");
    }
  });

  it("says nothing for a pause by hand or a running endpoint", () => {
    const t = wordsOf("en");
    expect(failingNote({ enabled: false, paused_reason: "manual", paused_at: at }, t, day)).toBe(
      "",
    );
    expect(failingNote({ enabled: true, paused_reason: null, paused_at: null }, t, day)).toBe("");
  });
});
