import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appEventId,
  checkSession,
  issueSession,
  newSessionId,
  posterIdOfSession,
  posterState,
  SESSION_TTL_SECONDS,
} from "../../src/core/attribution";
import { decodeBase32Int } from "../../src/core/base32";
import { parseKeyring } from "../../src/core/token";

const live = { status: "active" as const, active_from: null, active_until: null };

describe("posterState", () => {
  it("treats active_from as inclusive and active_until as exclusive, to the millisecond", () => {
    const w = { ...live, active_from: 1000, active_until: 2000 };
    expect(posterState(w, 999)).toBe("not_started");
    expect(posterState(w, 1000)).toBe("live");
    expect(posterState(w, 1999)).toBe("live");
    expect(posterState(w, 2000)).toBe("ended");
  });

  it("lets revoked win over paused and both over the window", () => {
    expect(posterState({ ...live, status: "paused", active_until: 1 }, 5)).toBe("paused");
    expect(posterState({ ...live, status: "revoked", active_from: 10 }, 5)).toBe("revoked");
    expect(posterState(live, 0)).toBe("live");
  });
});

describe("sessions", () => {
  it("carry the poster id and the second of their scan in their id", () => {
    const id = newSessionId("7K2M9Q", 1_767_225_600);
    expect(id).toMatch(/^7K2M9Q1MNBE80[0-9A-Z]{7}$/);
    expect(posterIdOfSession(id)).toBe("7K2M9Q");
    expect(newSessionId("7K2M9Q", 1_767_225_600)).not.toBe(id);
    expect(() => newSessionId("7K2M9Q", 32 ** 7)).toThrow(RangeError); // past 3058
  });

  it("of a poster sort by the second of their scan and carry it (appended to the hops_session index)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.integer({ min: 1, max: 86_400 }),
        (at, later) => {
          const a = newSessionId("7K2M9Q", at);
          expect(decodeBase32Int(a.slice(6, 13))).toBe(at);
          expect(a < newSessionId("7K2M9Q", at + later)).toBe(true);
        },
      ),
    );
  });

  it("verify only while current", async () => {
    const ring = await parseKeyring("K1:unit-test-signing-key-0123456789");
    const s = await issueSession(ring, "7K2M9Q", 1_700_000_000);
    expect(s.expiresAt).toBe(1_700_000_000 + SESSION_TTL_SECONDS);
    const ok = await checkSession(ring, s.token.toLowerCase(), 1_700_000_001);
    expect(ok).toEqual({ ok: true, session: s });
    expect(await checkSession(ring, s.token, s.expiresAt)).toEqual({
      ok: false,
      reason: "expired",
    });
    const other = await parseKeyring("K1:another-signing-key-0123456789");
    expect(await checkSession(other, s.token, 1_700_000_001)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});

describe("appEventId", () => {
  it("is deterministic per (subject, type, key) and unambiguous", async () => {
    const a = await appEventId("session:X", "converted", "");
    expect(a).toMatch(/^ev_[0-9a-f]{32}$/);
    expect(await appEventId("session:X", "converted", "")).toBe(a);
    expect(await appEventId("session:X", "converted", "k2")).not.toBe(a);
    expect(await appEventId("session:X", "app_open", "")).not.toBe(a);
    expect(await appEventId("a", "bc", "")).not.toBe(await appEventId("ab", "c", ""));
  });
});
