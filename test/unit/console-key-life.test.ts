// The keys page's view of a key's life (src/client/console/key-life.js): which keys can still be
// rolled or edited, and what the list says of a key's end, in whole units never early.
import { describe, expect, it } from "vitest";
import {
  endNote,
  GRACE_CHOICES,
  GRACE_DEFAULT,
  keyState,
  untilText,
} from "../../src/client/console/key-life.js";
import { LIMITS } from "../../src/config";

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
    expect(endNote({ expires_at: now + 3_600_000 }, now, t, "en", when)).toBe("expires in 1 hr");
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
