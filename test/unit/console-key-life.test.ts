// The keys page's view of a key's life (src/client/console/key-life.js): which keys can still be
// rolled or edited, and what the list says of a key's end, in whole units never early; a new
// key's end as the mint form asks for it; an edit's scopes, which only ever narrow.
import { describe, expect, it } from "vitest";
import {
  dayBounds,
  END_CHOICES,
  endNote,
  GRACE_CHOICES,
  GRACE_DEFAULT,
  keyState,
  localDay,
  mintEnd,
  narrowedScopes,
  untilText,
} from "../../src/client/console/key-life.js";
import { LIMITS } from "../../src/limits";

const now = Date.parse("2031-03-01T00:00:00Z");
const key = (o: Partial<Record<"revoked_at" | "rolled_to" | "expires_at", unknown>>) =>
  ({ revoked_at: null, rolled_to: null, expires_at: null, ...o }) as Parameters<typeof keyState>[0];

describe("keyState", () => {
  it("revoked, then rolled, then expired from expires_at on, else active", () => {
    expect(keyState(key({}), now)).toBe("active");
    expect(keyState(key({ expires_at: now + 1 }), now)).toBe("active");
    expect(keyState(key({ expires_at: now }), now)).toBe("expired");
    expect(keyState(key({ rolled_to: "key_b", expires_at: now + 1 }), now)).toBe("rolled");
    expect(keyState(key({ revoked_at: now - 5, rolled_to: "key_b" }), now)).toBe("revoked");
  });
});

describe("untilText", () => {
  it("rounds down: 23 h 59 min is 23 hr, two days and more in days", () => {
    expect(untilText(500, "en")).toBe("1 sec");
    expect(untilText(59_999, "en")).toBe("59 sec");
    expect(untilText(3_599_000, "en")).toBe("59 min");
    expect(untilText(24 * 3_600_000 - 60_000, "en")).toBe("23 hr");
    expect(untilText(47 * 3_600_000, "en")).toBe("47 hr");
    expect(untilText(7 * 86_400_000 - 1000, "en")).toBe("6 days");
    expect(untilText(7 * 86_400_000, "ja")).toBe("7 日");
  });
});

describe("endNote", () => {
  const t = (k: string, v?: Record<string, string | number>) =>
    k === "key.expiresIn" ? `expires in ${v?.wait}` : k === "key.expired" ? "Expired" : k;
  const when = (ms: number) => new Date(ms).toISOString();
  it("says nothing of a key without an end, the wait before one, and when it passed", () => {
    expect(endNote({ expires_at: null }, now, t, "en", when)).toBe("");
    expect(endNote({ expires_at: now + 3_600_000 }, now, t, "en", when)).toBe(
      `expires in 1 hr · ${new Date(now + 3_600_000).toISOString()}`,
    );
    expect(endNote({ expires_at: now }, now, t, "en", when)).toBe(
      `Expired ${new Date(now).toISOString()}`,
    );
  });
});

describe("GRACE_CHOICES", () => {
  it("are graces the API takes, its default among them", () => {
    const { min, max, default: fallback } = LIMITS.keyRollGraceSeconds;
    for (const s of GRACE_CHOICES) expect(s >= min && s <= max, String(s)).toBe(true);
    expect(GRACE_DEFAULT).toBe(fallback);
    expect(GRACE_CHOICES).toContain(GRACE_DEFAULT);
  });
});

describe("mintEnd", () => {
  it("never is no expires_at; a choice in seconds is that long from now", () => {
    expect(mintEnd("", "2031-03-09", now)).toEqual({});
    expect(mintEnd("86400", "", now)).toEqual({ at: now + 86_400_000 });
    expect(mintEnd("7776000", "", now)).toEqual({ at: now + 90 * 86_400_000 });
  });

  it("a chosen day works through the whole of it, in the browser's time zone, then stops", () => {
    const at = mintEnd("date", "2031-03-09", now).at!;
    const last = new Date(at - 1);
    const first = new Date(at);
    expect([last.getFullYear(), last.getMonth(), last.getDate()]).toEqual([2031, 2, 9]);
    expect([first.getDate(), first.getHours(), first.getMinutes()]).toEqual([10, 0, 0]);
  });

  it("today still works until its end; a day gone, no day or a made-up day is refused", () => {
    const today = localDay(now);
    expect(mintEnd("date", today, now).at).toBe(dayBounds(today)!.next);
    expect(mintEnd("date", today, now).at! > now).toBe(true);
    expect(mintEnd("date", localDay(now - 86_400_000), now)).toEqual({ error: "past" });
    expect(mintEnd("date", "", now)).toEqual({ error: "missing" });
    for (const bad of ["2031-02-30", "2031-13-01", "9-3-2031", "2031-03-09T00:00"])
      expect(mintEnd("date", bad, now), bad).toEqual({ error: "missing" });
  });

  it("offers never first (the default) and only choices it understands", () => {
    expect(END_CHOICES[0]).toBe("");
    for (const c of END_CHOICES.slice(1, -1)) expect(mintEnd(c, "", now).at! > now, c).toBe(true);
    expect(END_CHOICES.at(-1)).toBe("date");
  });
});

describe("dayBounds", () => {
  it("a day is 23 to 25 hours long (a clock change), the next day's start its end", () => {
    for (const day of ["2031-01-15", "2031-03-30", "2031-10-26", "2031-12-31"]) {
      const b = dayBounds(day)!;
      expect(b.next - b.start, day).toBeGreaterThanOrEqual(23 * 3_600_000);
      expect(b.next - b.start, day).toBeLessThanOrEqual(25 * 3_600_000);
      expect(localDay(b.start), day).toBe(day);
      expect(localDay(b.next - 1), day).toBe(day);
    }
  });
});

describe("narrowedScopes", () => {
  const current = ["posters:write", "stats:read", "webhooks:write"];
  it("keeps the key's order and sends nothing when every scope stays ticked", () => {
    expect(narrowedScopes(current, ["webhooks:write", "posters:write", "stats:read"])).toBeNull();
    expect(narrowedScopes(current, ["webhooks:write", "posters:write"])).toEqual([
      "posters:write",
      "webhooks:write",
    ]);
    expect(narrowedScopes(current, [])).toEqual([]);
  });

  it("never adds: a scope the key lacks, ticked by a tampered page, is left out", () => {
    expect(narrowedScopes(["stats:read"], ["stats:read", "admin", "posters:write"])).toBeNull();
    expect(narrowedScopes(current, ["stats:read", "events:write"])).toEqual(["stats:read"]);
  });
});
