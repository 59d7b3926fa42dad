// Red team, app events and the numbers they feed: one conversion reported many times at once
// from several devices, forged and tampered sessions, keys that may not report or read, and
// bots — each counted once, or not at all, and only where it belongs.
import { describe, expect, it } from "vitest";
import { posterFunnel, reached, stages, waitForFunnel } from "./funnel-helpers";
import { call, mintKey } from "./helpers";
import { IPHONE, makePoster, scan } from "./poster-helpers";

const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const IOS_APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";

const event = (json: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("/v1/events", { method: "POST", json, headers: { "user-agent": ANDROID_APP, ...headers } });

/** A person's scan of a poster: the session its landing page hands to the app. */
async function scannedSession(code: string, ip: string): Promise<string> {
  const html = await (await scan(`/p/${code}`, IPHONE, { "cf-connecting-ip": ip })).text();
  return /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
}

describe("redteam: a conversion counts once, and only where it belongs", () => {
  it("the same conversion from two devices, ten times at once: one conversion, one app open", async () => {
    const p = await makePoster({ campaign: "rt events burst" });
    const s = await scannedSession(p.code, "198.51.100.31");
    const sends = Array.from({ length: 10 }, (_, i) =>
      event(
        { session: s, type: i % 2 ? "converted" : "app_open", value: i % 2 ? 10 + i : undefined },
        {
          "user-agent": i % 3 ? ANDROID_APP : IOS_APP,
          "cf-connecting-ip": `203.0.113.${i}`,
          "idempotency-key": `order-${i}`,
        },
      ),
    );
    const answers = await Promise.all(sends);
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(202));
    const ids = new Set(
      await Promise.all(
        answers.map(async (r) => ((await r.json()) as { event_id: string }).event_id),
      ),
    );
    expect(ids.size).toBe(2); // one app_open, one converted
    const f = await waitForFunnel(
      p.id,
      reached({ scanned: 1, landing: 1, app_open: 1, converted: 1 }),
    );
    expect(stages(f.totals)).toEqual([1, 1, 1, 1]);
  });

  it("one order reported by two servers (two events:write keys), five times each at once: one conversion, one value", async () => {
    const p = await makePoster({ campaign: "rt events two servers" });
    const s = await scannedSession(p.code, "198.51.100.32");
    const shop = await mintKey("secret", ["events:write"]);
    const pos = await mintKey("secret", ["events:write"]);
    const order = (key: string, value: number, id = "order-1001") =>
      event(
        { session: s, type: "converted", value, currency: "EUR", idempotency_key: id },
        { authorization: `Bearer ${key}` },
      );
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => order(i % 2 ? shop : pos, 42.5)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(202));
    const ids = new Set(
      await Promise.all(
        answers.map(async (r) => ((await r.json()) as { event_id: string }).event_id),
      ),
    );
    expect(ids.size).toBe(1);
    // Another order of the same session is an event of its own.
    expect((await order(shop, 7, "order-1002")).status).toBe(202);
    const f = await waitForFunnel(p.id, reached({ scanned: 1, converted: 2 }));
    expect(f.totals.converted).toBe(2);
    expect(f.totals.converted_value).toEqual({ EUR: 49.5 });
  });

  it("a forged or tampered session counts nothing and is a 4xx with a JSON error", async () => {
    const p = await makePoster({ campaign: "rt events forged" });
    const s = await scannedSession(p.code, "198.51.100.32");
    const flip = (c: string) => (c === "A" ? "B" : "A");
    const forged = [
      `${s.slice(0, -1)}${flip(s.at(-1)!)}`, // last character of the MAC changed
      `${s.slice(0, 10)}${flip(s[10]!)}${s.slice(11)}`, // the scan's device or time changed
      `${p.id}${"0".repeat(42 - p.id.length)}`, // the poster's id and zeros
      s.toLowerCase().replace(/./, "!"),
    ];
    for (const session of forged) {
      const res = await event({ session, type: "converted", value: 99 });
      expect(res.status, session).toBeGreaterThanOrEqual(400);
      expect(res.status, session).toBeLessThan(500);
      expect(((await res.json()) as { error: string }).error, session).toMatch(/^[a-z_]+$/);
    }
    // A real event afterwards arrives; the forged ones never did.
    await event({ session: s, type: "app_open" });
    const f = await waitForFunnel(p.id, (t) => t.app_open >= 1);
    expect(f.totals.converted).toBe(0);
  });

  it("a publishable key or a secret key without events:write cannot report as a server", async () => {
    const p = await makePoster({ campaign: "rt events keys" });
    const s = await scannedSession(p.code, "198.51.100.33");
    const publishable = await mintKey("publishable", ["handoffs:write"], ["https://shop.example"]);
    const reader = await mintKey("secret", ["stats:read"]);
    for (const key of [publishable, reader]) {
      const res = await event(
        { session: s, type: "converted", value: 5, idempotency_key: `k-${key.slice(0, 8)}` },
        { authorization: `Bearer ${key}`, origin: "https://shop.example" },
      );
      expect(res.status, key.slice(0, 6)).toBe(403);
    }
    // Without a key, fresh idempotency keys inflate nothing.
    for (const k of ["a", "b", "c"])
      await event({ session: s, type: "converted", idempotency_key: k });
    const f = await waitForFunnel(p.id, (t) => t.converted >= 1);
    expect(f.totals.converted).toBe(1);
  });

  it("a bot reporting a conversion is answered but never counted as one", async () => {
    const p = await makePoster({ campaign: "rt events bots" });
    const s = await scannedSession(p.code, "198.51.100.34");
    const res = await event(
      { session: s, type: "converted", value: 1 },
      { "user-agent": "curl/8.5.0" },
    );
    expect(res.status).toBe(202);
    await event({ session: s, type: "app_open" });
    const f = await waitForFunnel(p.id, reached({ scanned: 1, app_open: 1 }));
    expect(f.totals.converted).toBe(0);
    expect(f.totals.scanned).toBe(1);
  });
});

describe("redteam: who may read the numbers", () => {
  it("only a secret key with stats:read reads the funnel or the raw hops", async () => {
    const p = await makePoster({ campaign: "rt stats scope" });
    const day = new Date().toISOString().slice(0, 10);
    const paths = [`/v1/stats/funnel?poster_id=${p.id}`, `/v1/hops?from=${day}&to=${day}`];
    const keys = {
      handoffs: await mintKey("secret", ["handoffs:write"]),
      events: await mintKey("secret", ["events:write"]),
      publishable: await mintKey("publishable", ["handoffs:write"], ["https://shop.example"]),
    };
    for (const path of paths) {
      expect((await call(path)).status, path).toBe(401);
      for (const [name, key] of Object.entries(keys)) {
        const res = await call(path, { key, headers: { origin: "https://shop.example" } });
        expect(res.status, `${name} ${path}`).toBe(403);
      }
    }
    expect((await posterFunnel(p.id)).totals.scanned).toBe(0);
  });
});
