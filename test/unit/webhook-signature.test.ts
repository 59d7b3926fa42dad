import { createHmac, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  parseSignatureHeader,
  signStandardWebhook,
  signWebhook,
  standardWebhookKey,
  verifyWebhook,
} from "../../src/core/webhook-signature";

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

  it("signs once per secret given, each v1 verifying with its own secret only", async () => {
    const other = `${SECRET}-other`;
    const header = await signWebhook([SECRET, other], BODY, T);
    expect(parseSignatureHeader(header)?.signatures).toHaveLength(2);
    for (const secret of [SECRET, other])
      expect(await verifyWebhook(secret, BODY, header, { now: T })).toMatchObject({ ok: true });
    expect(await verifyWebhook(`${SECRET}x`, BODY, header, { now: T })).toMatchObject({
      reason: "bad_signature",
    });
  });
});

describe("Standard Webhooks", () => {
  const key = new Uint8Array(randomBytes(32));
  const base64 = Buffer.from(key).toString("base64");
  const secret = `whsec_${base64}`;

  it("decodes a secret's key from base64, or from the base64url of older secrets", () => {
    const legacy = `whsec_${Buffer.from(key).toString("base64url")}`;
    expect(standardWebhookKey(secret)).toEqual(key);
    expect(standardWebhookKey(legacy)).toEqual(key);
    expect(standardWebhookKey(base64)).toEqual(key);
    // The standardwebhooks library reads the same bytes from the base64 form.
    const decoded = (new Webhook(secret) as unknown as { key: Uint8Array }).key;
    expect(new Uint8Array(decoded)).toEqual(key);
    for (const bad of ["whsec_", "whsec_a", "whsec_ab cd", "whsec_ab=c", "whsec_é"])
      expect(standardWebhookKey(bad), bad).toBeNull();
  });

  it("signs exactly as the standardwebhooks library does, and that library verifies it", async () => {
    const now = Math.floor(Date.now() / 1000);
    const ours = await signStandardWebhook(key, "whd_abc_ev1", now, BODY);
    expect(ours).toBe(new Webhook(secret).sign("whd_abc_ev1", new Date(now * 1000), BODY));
    const headers = {
      "webhook-id": "whd_abc_ev1",
      "webhook-timestamp": String(now),
      "webhook-signature": ours,
    };
    expect(new Webhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    // Another id is another message: the signature does not carry over.
    expect(() =>
      new Webhook(secret).verify(BODY, { ...headers, "webhook-id": "whd_abc_ev2" }),
    ).toThrow("No matching signature");
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
