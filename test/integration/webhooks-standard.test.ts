// Standard Webhooks: a real delivery, captured as the receiver gets it, verifies with the
// `standardwebhooks` package exactly as its README shows; QB-Signature still verifies too, with
// the secret shown today and with the one endpoints were shown before.
import { Webhook } from "standardwebhooks";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../../src/config";
import { verifyWebhook } from "../../src/core/webhook-signature";
import { deliverWebhook } from "../../src/store/webhook-delivery";
import { sendTestEvent } from "../../src/store/webhooks";
import { call, mintKey } from "./helpers";
import { hopMessages, hopRow, runQueue, testEnv } from "./hop-helpers";

interface Captured {
  headers: Headers;
  body: string;
}

/** A receiver answering `statuses` in turn, recording what it was sent. */
function receiver(...statuses: number[]) {
  const seen: Captured[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    seen.push({ headers: req.headers, body: await req.text() });
    return new Response(null, { status: statuses[Math.min(seen.length, statuses.length) - 1] });
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

/** The headers as a plain object, the shape `Webhook.verify` takes in the package's README. */
const plain = (h: Headers) => Object.fromEntries(h.entries());

const vars = testEnv as unknown as Record<string, string>;
let key: string;
beforeAll(async () => {
  key = await mintKey("secret", ["webhooks:write"]);
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function register(events: string[]) {
  const res = await call("/v1/webhooks", {
    method: "POST",
    key,
    json: { url: "https://hooks.example.com/standard", events },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

describe("Standard Webhooks headers", () => {
  it("a delivery from the hop stream verifies with `new Webhook(secret).verify(body, headers)`", async () => {
    const hook = await register(["poster.scanned"]);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await hopRow({ kind: "poster", subject_id: "P-std", hop: "scanned" }, Date.now());
    const sent: string[] = [];
    const queue = {
      sendBatch: async (m: { body: { id: string } }[]) => sent.push(...m.map((x) => x.body.id)),
    };
    await runQueue("qrbridge-hops", hopMessages([row]), { ...testEnv, WEBHOOKS: queue as never });
    const id = sent.find((d) => d.startsWith(`whd_${hook.id.slice(4)}_`))!;

    const seen: Captured[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const req = new Request(input as RequestInfo, init);
      seen.push({ headers: req.headers, body: await req.text() });
      return new Response(null, { status: 204 });
    });
    await runQueue("qrbridge-webhooks", [
      { id: `wm-${id}`, timestamp: new Date(), attempts: 1, body: { t: "webhook", id } },
    ]);
    expect(seen).toHaveLength(1);
    const { headers, body } = seen[0]!;
    expect(headers.get("webhook-id")).toBe(id);
    expect(headers.get("webhook-timestamp")).toMatch(/^\d{10}$/);
    expect(headers.get("webhook-signature")).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    const event = new Webhook(hook.secret).verify(body, plain(headers)) as { id: string };
    expect(event.id).toBe(row.event_id);
    // The same timestamp is signed in both schemes, and QB-Signature verifies with the same secret.
    const qb = headers.get("qb-signature")!;
    expect(qb.startsWith(`t=${headers.get("webhook-timestamp")},`)).toBe(true);
    expect(await verifyWebhook(hook.secret, body, qb)).toMatchObject({ ok: true });
  });

  it("refuses a tampered body, another id, and a delivery signed too long ago", async () => {
    const hook = await register(["conversion"]);
    const config = await resolveConfig({
      adminKey: vars.QB_ADMIN_KEY,
      signingKeys: vars.QB_SIGNING_KEYS,
    });
    const wh = new Webhook(hook.secret);

    const fresh = receiver(200);
    const id = await sendTestEvent(testEnv.DB, hook.id);
    await deliverWebhook(testEnv.DB, config.keyring, id, { fetch: fresh.fetch, env: "test" });
    const { headers, body } = fresh.seen[0]!;
    expect(wh.verify(body, plain(headers))).toMatchObject({ type: "ping" });
    const tampered = body.replace('"ping"', '"conversion"');
    expect(() => wh.verify(tampered, plain(headers))).toThrow("No matching signature");
    const moved = { ...plain(headers), "webhook-id": `${id}x` };
    expect(() => wh.verify(body, moved)).toThrow("No matching signature");

    // Signed ten minutes before now: outside the library's five-minute tolerance.
    const stale = receiver(200);
    const old = await sendTestEvent(testEnv.DB, hook.id);
    const tenMinutesAgo = () => Date.now() - 10 * 60_000;
    await deliverWebhook(testEnv.DB, config.keyring, old, {
      fetch: stale.fetch,
      now: tenMinutesAgo,
      env: "test",
    });
    expect(() => wh.verify(stale.seen[0]!.body, plain(stale.seen[0]!.headers))).toThrow(
      "Message timestamp too old",
    );
  });

  it("keeps webhook-id across retries (the idempotency key) while each attempt is signed anew", async () => {
    const hook = await register(["conversion"]);
    const config = await resolveConfig({
      adminKey: vars.QB_ADMIN_KEY,
      signingKeys: vars.QB_SIGNING_KEYS,
    });
    const r = receiver(503, 200);
    const id = await sendTestEvent(testEnv.DB, hook.id);
    const t0 = Date.now();
    const first = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: r.fetch,
      now: () => t0,
      env: "test",
    });
    expect(first.outcome).toBe("retry");
    const second = await deliverWebhook(testEnv.DB, config.keyring, id, {
      fetch: r.fetch,
      now: () => t0 + 60_000,
      env: "test",
    });
    expect(second.outcome).toBe("delivered");
    const [a, b] = r.seen;
    expect(a!.headers.get("webhook-id")).toBe(id);
    expect(b!.headers.get("webhook-id")).toBe(id);
    expect(Number(b!.headers.get("webhook-timestamp"))).toBe(
      Number(a!.headers.get("webhook-timestamp")) + 60,
    );
    expect(b!.headers.get("webhook-signature")).not.toBe(a!.headers.get("webhook-signature"));
    expect(new Webhook(hook.secret).verify(b!.body, plain(b!.headers))).toMatchObject({
      type: "ping",
    });
  });
});

describe("secrets shown before Standard Webhooks (base64url)", () => {
  /** The secret as the bridge used to show it: whsec_ + unpadded base64url of the same key. */
  async function legacySecret(endpointId: string): Promise<string> {
    const [kid, text] = vars.QB_SIGNING_KEYS!.split(",").at(-1)!.split(/:(.*)/s);
    expect(kid).toBe("T2");
    const k = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(text),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`qrbridge.whsec.${endpointId}`)),
    );
    const b64 = btoa(String.fromCharCode(...mac));
    return `whsec_${b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
  }

  it("still verify QB-Signature unchanged, and Standard Webhooks once written in base64", async () => {
    const hook = await register(["conversion"]);
    const legacy = await legacySecret(hook.id);
    expect(legacy).not.toBe(hook.secret);
    const config = await resolveConfig({
      adminKey: vars.QB_ADMIN_KEY,
      signingKeys: vars.QB_SIGNING_KEYS,
    });
    const r = receiver(200);
    const id = await sendTestEvent(testEnv.DB, hook.id);
    await deliverWebhook(testEnv.DB, config.keyring, id, { fetch: r.fetch, env: "test" });
    const { headers, body } = r.seen[0]!;
    const qb = headers.get("qb-signature")!;
    expect(qb).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(await verifyWebhook(legacy, body, qb)).toMatchObject({ ok: true });
    expect(await verifyWebhook(hook.secret, body, qb)).toMatchObject({ ok: true });
    // The documented conversion (after the prefix, whose own "_" stays): the same key bytes.
    const asBase64 = `whsec_${legacy.slice(6).replace(/-/g, "+").replace(/_/g, "/")}`;
    expect(new Webhook(asBase64).verify(body, plain(headers))).toMatchObject({ type: "ping" });
  });
});
