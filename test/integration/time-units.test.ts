// One unit for times in every JSON body of the API and of webhook payloads: unix milliseconds.
// Headers keep their own specs: QB-Signature's t= is unix seconds, as Stripe's scheme has it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_TTL_SECONDS } from "../../src/core/attribution";
import { sendTestEvent } from "../../src/store/webhooks";
import { createHandoff } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";
import { runQueue, testEnv } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("times in JSON are unix ms", () => {
  it("a resolved poster's session_expires_at is ms, like a handoff's expires_at", async () => {
    const p = await makePoster({ path: "/menu" });
    const before = Date.now();
    const res = await call("/v1/resolve", { method: "POST", json: { url: p.url } });
    const after = Date.now();
    expect(res.status).toBe(200);
    const { attribution } = (await res.json()) as { attribution: { session_expires_at: number } };
    // The session is issued within [before, after] (whole seconds) and lasts SESSION_TTL_SECONDS.
    const ttl = SESSION_TTL_SECONDS * 1000;
    expect(attribution.session_expires_at).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000 + ttl,
    );
    expect(attribution.session_expires_at).toBeLessThanOrEqual(after + ttl);
    expect(attribution.session_expires_at % 1000).toBe(0);

    const h = await createHandoff(await mintSecretKey(), { ttl: 120 });
    expect(h.expires_at).toBeGreaterThan(before + 100_000);
    expect(h.expires_at).toBeLessThanOrEqual(Date.now() + 121_000);
  });

  it("a webhook's created is ms while QB-Signature's t= stays seconds", async () => {
    const key = await mintKey("secret", ["webhooks:write"]);
    const reg = await call("/v1/webhooks", {
      method: "POST",
      key,
      json: { url: "https://hooks.example.com/units", events: ["*"] },
    });
    const hook = (await reg.json()) as { id: string };
    const seen: { body: string; signature: string }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ body: String(init?.body), signature: headers.get("qb-signature") ?? "" });
      return new Response(null, { status: 204 });
    });
    const before = Date.now();
    const deliveryId = await sendTestEvent(testEnv.DB, hook.id);
    const detail = await call(`/v1/webhooks/${hook.id}/deliveries/${deliveryId}`, { key });
    const { payload } = (await detail.json()) as { payload: string };
    const event = JSON.parse(payload) as { type: string; created: number };
    expect(event.type).toBe("ping");
    expect(event.created).toBeGreaterThanOrEqual(before);
    expect(event.created).toBeLessThanOrEqual(Date.now());
    await runQueue("qrbridge-webhooks", [
      {
        id: `wm-${deliveryId}`,
        timestamp: new Date(),
        attempts: 1,
        body: { t: "webhook", id: deliveryId },
      },
    ]);
    const sent = seen.find((s) => s.body === payload)!;
    const t = Number(/^t=(\d+),/.exec(sent.signature)![1]);
    expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(t).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });
});
