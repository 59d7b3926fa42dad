import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseSignatureHeader, signWebhook, verifyWebhook } from "../../src/core/webhook-signature";

const SECRET = "whsec_test_0123456789abcdefghijklmnopqrstuvwxyz";
const BODY =
  '{"id":"ev_1","type":"handoff.redeemed","created":1767225600000,"data":{"kind":"handoff"}}';
const T = 1_767_225_600;

describe("signWebhook", () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)> — what any language can recompute", async () => {
    const header = await signWebhook(SECRET, BODY, T);
    const expected = createHmac("sha256", SECRET).update(`${T}.${BODY}`).digest("hex");
    expect(header).toBe(`t=${T},v1=${expected}`);
  });
});

describe("verifyWebhook", () => {
  it("accepts a genuine signature within the tolerance", async () => {
    const header = await signWebhook(SECRET, BODY, T);
    expect(await verifyWebhook(SECRET, BODY, header, { now: T + 299 })).toEqual({
      ok: true,
      timestamp: T,
    });
  });

  it("refuses a tampered body, a wrong secret and a changed timestamp", async () => {
    const header = await signWebhook(SECRET, BODY, T);
    const tampered = BODY.replace("handoff.redeemed", "handoff.cancelled");
    expect(await verifyWebhook(SECRET, tampered, header, { now: T })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(await verifyWebhook(`${SECRET}x`, BODY, header, { now: T })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(await verifyWebhook(SECRET, BODY, moved, { now: T })).toMatchObject({
      reason: "bad_signature",
    });
  });

  it("refuses replays outside the tolerance, either way", async () => {
    const header = await signWebhook(SECRET, BODY, T);
    expect(await verifyWebhook(SECRET, BODY, header, { now: T + 301 })).toMatchObject({
      reason: "too_old",
    });
    expect(await verifyWebhook(SECRET, BODY, header, { now: T - 301 })).toMatchObject({
      reason: "in_future",
    });
    expect(
      await verifyWebhook(SECRET, BODY, header, { now: T + 3000, toleranceSeconds: 3600 }),
    ).toMatchObject({ ok: true });
  });

  it("accepts any matching v1 among several (secret rotation) and ignores other schemes", async () => {
    const good = (await signWebhook(SECRET, BODY, T)).split("v1=")[1]!;
    const header = `t=${T},v0=abc,v1=${"0".repeat(64)},v1=${good}`;
    expect(await verifyWebhook(SECRET, BODY, header, { now: T })).toMatchObject({ ok: true });
  });

  it("refuses malformed headers", async () => {
    for (const header of ["", "v1=abc", `t=abc,v1=${"a".repeat(64)}`, `t=${T},t=${T}`, "garbage"]) {
      expect((await verifyWebhook(SECRET, BODY, header, { now: T })).ok, header).toBe(false);
    }
    expect(await verifyWebhook(SECRET, BODY, `t=${T}`, { now: T })).toMatchObject({
      reason: "no_signature",
    });
    expect(parseSignatureHeader(`t=${T}, v1=${"A".repeat(64)}`)).toEqual({
      timestamp: T,
      signatures: ["a".repeat(64)],
    });
  });
});
