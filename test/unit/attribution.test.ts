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
  type SessionDevice,
} from "../../src/core/attribution";
import { encodeBase32Int } from "../../src/core/base32";
import { readSessionId } from "../../src/core/session-id";
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

const IOS_PAGE: SessionDevice = { platform: "ios", in_app: null, bot: false, via: "page" };
const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z

describe("session ids", () => {
  it("carry the poster id, the scan's tenth of a second and its device, then 25 random bits", () => {
    const id = newSessionId("7K2M9Q", IOS_PAGE, T + 123);
    expect(id).toMatch(/^7K2M9Q1RE4W0180[0-9A-Z]{5}$/);
    expect(posterIdOfSession(id)).toBe("7K2M9Q");
    // The examples of docs/token-vectors.md.
    expect(newSessionId("7K2M9Q", IOS_PAGE, T)).toMatch(/^7K2M9Q1RE4W0080[0-9A-Z]{5}$/);
    const direct = { ...IOS_PAGE, via: "direct" as const };
    expect(newSessionId("7K2M9Q", direct, T)).toMatch(/^7K2M9Q1RE4W00C0[0-9A-Z]{5}$/);
    expect(newSessionId("7K2M9Q", IOS_PAGE, T)).not.toBe(newSessionId("7K2M9Q", IOS_PAGE, T));
    expect(() => newSessionId("7K2M9Q", IOS_PAGE, 1_577_836_800_000 + 32 ** 7 * 100)).toThrow(
      RangeError,
    ); // past 2128
  });

  it("round-trip every device a scan can have", () => {
    const platforms = ["ios", "android", "desktop", "other"] as const;
    const inApps = [null, "wechat", "instagram", "whatsapp", "tiktok"] as const;
    for (const platform of platforms)
      for (const in_app of inApps)
        for (const bot of [false, true])
          for (const via of ["page", "direct"] as const) {
            const device = { platform, in_app, bot, via };
            const id = newSessionId("7K2M9Q", device, T);
            expect(readSessionId(id, T / 1000 + SESSION_TTL_SECONDS)).toEqual({
              posterId: "7K2M9Q",
              scannedAt: T,
              device,
            });
          }
  });

  it("of a poster sort by the time of their scan, kept to the tenth of a second", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_577_836_800_000, max: 4_102_444_800_000 }),
        fc.integer({ min: 100, max: 86_400_000 }),
        (at, later) => {
          const a = newSessionId("7K2M9Q", { ...IOS_PAGE, platform: "other" }, at);
          const b = newSessionId("7K2M9Q", IOS_PAGE, at + later);
          expect(a < b).toBe(true);
          const facts = readSessionId(a, Math.floor(at / 1000) + SESSION_TTL_SECONDS);
          expect(facts.scannedAt).toBe(at - (at % 100));
          expect(facts.device).toMatchObject({ platform: "other" });
        },
      ),
    );
  });

  it("read an id of the layout before (unix second + 7 random) as one without a device", () => {
    // Issued 2026-01-01: the poster id, the second in 7 characters, then 7 random characters.
    const old = `7K2M9Q${encodeBase32Int(1_767_225_600, 7)}ABCDEFG`;
    expect(readSessionId(old, 1_767_225_600 + SESSION_TTL_SECONDS)).toEqual({
      posterId: "7K2M9Q",
      scannedAt: T,
      device: null,
    });
  });
});

describe("sessions", () => {
  it("verify only while current, and carry the scan's time and device", async () => {
    const ring = await parseKeyring("K1:unit-test-signing-key-0123456789");
    const s = await issueSession(ring, "7K2M9Q", IOS_PAGE, 1_700_000_000_250);
    expect(s.expiresAt).toBe(1_700_000_000 + SESSION_TTL_SECONDS);
    expect(s).toMatchObject({ scannedAt: 1_700_000_000_200, device: IOS_PAGE });
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
