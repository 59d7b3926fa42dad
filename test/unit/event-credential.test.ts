// The events credential of a redeemed handoff (src/core/event-credential.ts): bound to its
// handoff and to its kind, valid for the events window after the redemption, signed by the
// newest key and verified by every key. The clock is a parameter: no waiting.
import { describe, expect, it } from "vitest";
import { issueEventCredential } from "../../src/core/event-credential";
import { EVENT_WINDOW_MS } from "../../src/core/handoff";
import { parseKeyring, type TokenTag, verifyToken } from "../../src/core/token";

const HANDOFF = "8QK3T0M1ZC7X9R2B4N6D";
const REDEEMED_AT = 1_767_225_600_123; // unix ms, not on a second
const ring = await parseKeyring("K1:unit-test-key-number-one,K2:unit-test-key-number-two");
const sec = (ms: number) => Math.floor(ms / 1000);

describe("handoff events credential", () => {
  it("names its handoff and ends with the events window, signed by the newest key", async () => {
    const { token, expiresAtMs } = await issueEventCredential(ring, HANDOFF, REDEEMED_AT);
    expect(expiresAtMs).toBe(REDEEMED_AT + EVENT_WINDOW_MS);
    const check = await verifyToken(ring, "e", token, sec(REDEEMED_AT));
    expect(check).toEqual({
      ok: true,
      id: HANDOFF,
      expiresAt: Math.ceil((REDEEMED_AT + EVENT_WINDOW_MS) / 1000),
      kid: "K2",
    });
  });

  it("is expired once the window is over, and only then", async () => {
    const { token, expiresAtMs } = await issueEventCredential(ring, HANDOFF, REDEEMED_AT);
    const lastSecond = Math.ceil(expiresAtMs / 1000) - 1;
    expect((await verifyToken(ring, "e", token, lastSecond)).ok).toBe(true);
    expect(await verifyToken(ring, "e", token, lastSecond + 1)).toMatchObject({
      ok: false,
      reason: "expired",
      id: HANDOFF,
    });
  });

  it("never passes for a handoff link, a QR login or a poster session", async () => {
    const { token } = await issueEventCredential(ring, HANDOFF, REDEEMED_AT);
    for (const tag of ["h", "l", "s"] as TokenTag[]) {
      expect(await verifyToken(ring, tag, token, sec(REDEEMED_AT))).toEqual({
        ok: false,
        reason: "bad_signature",
      });
    }
  });

  it("cannot be moved to another handoff or given a later expiry", async () => {
    const { token } = await issueEventCredential(ring, HANDOFF, REDEEMED_AT);
    const other = `ZZZZZZZZZZZZZZZZZZZZ${token.slice(20)}`;
    expect(await verifyToken(ring, "e", other, sec(REDEEMED_AT))).toMatchObject({
      reason: "bad_signature",
    });
    const later = `${token.slice(0, 20)}ZZZZZZZ${token.slice(27)}`;
    expect(await verifyToken(ring, "e", later, sec(REDEEMED_AT))).toMatchObject({
      reason: "bad_signature",
    });
  });

  it("is still verified after a rotation, and by no other bridge's keys", async () => {
    const { token } = await issueEventCredential(ring, HANDOFF, REDEEMED_AT);
    const rotated = await parseKeyring(
      "K1:unit-test-key-number-one,K2:unit-test-key-number-two,K3:unit-test-key-number-three",
    );
    expect((await verifyToken(rotated, "e", token, sec(REDEEMED_AT))).ok).toBe(true);
    const elsewhere = await parseKeyring("K2:a-completely-different-key");
    expect(await verifyToken(elsewhere, "e", token, sec(REDEEMED_AT))).toMatchObject({
      reason: "bad_signature",
    });
  });
});
