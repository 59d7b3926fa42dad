// The session and scan id of a bare poster link resolved with the app's claim: the same for a
// retry with that claim in its window, different for another claim, key, poster or window, and
// never the claim itself.
import { describe, expect, it } from "vitest";
import {
  CLAIM_WINDOW_MS,
  checkSession,
  claimedScanEventId,
  claimedSession,
  type SessionDevice,
} from "../../src/core/attribution";
import { parseKeyring } from "../../src/core/token";

const DIRECT: SessionDevice = { platform: "ios", in_app: null, bot: false, via: "direct" };
const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const CLAIM = "Zq4Lm9Xw2Vb8Rt1Yp6Nc3A";
const ring = () => parseKeyring("K1:claimed-session-key-0123456789");

describe("claimedSession", () => {
  it("gives a retry with the same claim the same session token, whatever second it comes", async () => {
    const r = await ring();
    const first = await claimedSession(r, "7K2M9Q", DIRECT, CLAIM, T);
    // Where the claim's window starts: the retry falls in it for every later millisecond of it.
    const end = first.scannedAt + CLAIM_WINDOW_MS;
    for (const at of [first.scannedAt, T, T + 1, T + 4_999, end - 1]) {
      const again = await claimedSession(r, "7K2M9Q", DIRECT, CLAIM, at);
      expect(again.token).toBe(first.token);
    }
    expect(first.scannedAt).toBeLessThanOrEqual(T);
    expect(T - first.scannedAt).toBeLessThan(CLAIM_WINDOW_MS);
    // The next window is another session (the residue a stateless derivation cannot avoid).
    expect((await claimedSession(r, "7K2M9Q", DIRECT, CLAIM, end)).id).not.toBe(first.id);
  });

  it("signs a session that verifies, names its poster, device and scan time, and lives 7 days from it", async () => {
    const r = await ring();
    const s = await claimedSession(r, "7K2M9Q", DIRECT, CLAIM, T);
    const check = await checkSession(r, s.token, Math.floor(T / 1000));
    expect(check).toEqual({ ok: true, session: s });
    expect(s.posterId).toBe("7K2M9Q");
    expect(s.device).toEqual(DIRECT);
    expect(s.expiresAt).toBe(Math.floor(s.scannedAt / 1000) + 7 * 86_400);
    expect(s.scannedAt % 100).toBe(0);
  });

  it("differs for another claim, another poster, another key or another device", async () => {
    const r = await ring();
    const base = (await claimedSession(r, "7K2M9Q", DIRECT, CLAIM, T)).id;
    const other = await parseKeyring("K1:another-signing-key-0123456789");
    const ids = [
      (await claimedSession(r, "7K2M9Q", DIRECT, `${CLAIM}x`, T)).id,
      (await claimedSession(r, "8QK3T0", DIRECT, CLAIM, T)).id,
      (await claimedSession(other, "7K2M9Q", DIRECT, CLAIM, T)).id,
      (await claimedSession(r, "7K2M9Q", { ...DIRECT, platform: "android" }, CLAIM, T)).id,
    ];
    for (const id of ids) expect(id).not.toBe(base);
  });

  it("spreads the sessions of many apps over the window and the random tail (no more collisions than fresh ones)", async () => {
    const r = await ring();
    const ids = new Set<string>();
    const starts = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const s = await claimedSession(r, "7K2M9Q", DIRECT, `claim-${i}-${CLAIM}`, T);
      ids.add(s.id);
      starts.add(s.scannedAt);
    }
    expect(ids.size).toBe(500);
    // 500 claims over 6,000 tenths of a second: almost all start their window apart.
    expect(starts.size).toBeGreaterThan(450);
  });
});

describe("claimedScanEventId", () => {
  const scanId = async (poster: string, claim: string, at: number) =>
    claimedScanEventId((await claimedSession(await ring(), poster, DIRECT, claim, at)).id);

  it("is a once-only id, the same for every retry of a claim on a poster in a window, apart otherwise", async () => {
    const id = await scanId("7K2M9Q", CLAIM, T);
    expect(id).toMatch(/^ev_[0-9a-f]{32}$/);
    expect(await scanId("7K2M9Q", CLAIM, T + 4_999)).toBe(id);
    expect(await scanId("7K2M9Q", `${CLAIM}x`, T)).not.toBe(id);
    expect(await scanId("8QK3T0", CLAIM, T)).not.toBe(id);
    expect(id).not.toContain(CLAIM.toLowerCase());
  });

  it("is another id in the next window: one claim sent with two scans 20 minutes apart is two scans", async () => {
    const first = await claimedSession(await ring(), "7K2M9Q", DIRECT, CLAIM, T);
    const later = await claimedSession(await ring(), "7K2M9Q", DIRECT, CLAIM, T + 20 * 60_000);
    expect(later.scannedAt).toBe(first.scannedAt + 2 * CLAIM_WINDOW_MS);
    expect(await claimedScanEventId(later.id)).not.toBe(await claimedScanEventId(first.id));
  });
});
