// Abuse from outside, attacked as an outsider would: scripts that cannot inflate the numbers a
// business reads. Each test replays the attack with only what any visitor has (a poster and
// curl), then reads the funnel through the API as the business would.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { HandoffRecord } from "../../src/core/handoff-record";
import type { Env } from "../../src/env";
import type { ResolvedPoster } from "../../src/routes/posters-resolve";
import { waitForFunnel } from "./funnel-helpers";
import { createHandoff, signedToken } from "./handoffs-helpers";
import { call, mintKey, mintSecretKey } from "./helpers";
import { makePoster, scan } from "./poster-helpers";

const CURL = "curl/8.0";
const APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
/** Where this run's addresses start: the limiter's buckets outlive a run of the file. */
let ipSeq = crypto.getRandomValues(new Uint8Array(1))[0]!;
/** A client address of its own for each attack (the call budget is per IP). */
const newIp = () => `198.51.100.${(++ipSeq * 37) % 250}`;

const post = (path: string, json: unknown, headers: Record<string, string>) =>
  call(path, { method: "POST", json, headers });

/** A person scans the poster's QR; returns the session its landing page hands the app. */
async function personScan(code: string): Promise<string> {
  const html = await (await scan(`/p/${code}`)).text();
  return /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;
}

describe("a script resolving a poster link", () => {
  it("gets its answer, but 50 curl resolves count no scan and no app open", async () => {
    const p = await makePoster();
    const ip = newIp();
    for (let i = 0; i < 50; i++) {
      const res = await post(
        "/v1/resolve",
        { url: p.url },
        { "user-agent": CURL, "cf-connecting-ip": ip },
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as ResolvedPoster;
      expect(body).toMatchObject({ kind: "poster", path: "/menu" });
      // Conversions against a session a bot started count for no one either.
      const converted = await post(
        "/v1/events",
        { session: body.attribution.session, type: "converted", value: 1 },
        { "user-agent": APP, "cf-connecting-ip": ip },
      );
      expect(converted.status).toBe(202);
    }
    // One person scans and opens the app last: once they are counted, the script's 150 hops
    // (sent before them) have arrived too.
    const s = await personScan(p.code);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, { "user-agent": APP });
    const f = await waitForFunnel(p.id, (t) => t.app_open >= 1);
    expect(f.totals).toMatchObject({ scanned: 1, landing: 1, app_open: 1, converted: 0 });
  });
});

describe("conversions reported without a key", () => {
  it("count once per session: 200 with fresh idempotency keys are one conversion", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    const ip = newIp();
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const res = await post(
        "/v1/events",
        { session: s, type: "converted", value: 1, idempotency_key: `order-${i}` },
        { "user-agent": APP, "cf-connecting-ip": ip },
      );
      expect(res.status).toBe(202);
      ids.add(((await res.json()) as { event_id: string }).event_id);
    }
    expect(ids.size).toBe(1);
    // curl posting as the app counts for no one.
    expect(
      (await post("/v1/events", { session: s, type: "app_open" }, { "user-agent": CURL })).status,
    ).toBe(202);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, { "user-agent": APP });
    const f = await waitForFunnel(p.id, (t) => t.app_open >= 1 && t.converted >= 1);
    expect(f.totals).toMatchObject({ scanned: 1, app_open: 1, converted: 1 });
  });

  it("refuse a value outside 0 – 1,000,000,000 or with more than 2 decimals, naming value", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    for (const value of [
      1e12,
      1_000_000_000.01,
      -1,
      12.345,
      123_456_789.125,
      Number.MAX_SAFE_INTEGER,
    ]) {
      const res = await post("/v1/events", { session: s, type: "converted", value }, {});
      expect(res.status, String(value)).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("validation_failed");
      expect(body.message).toMatch(/^value: /);
    }
    for (const value of [0, 12.34, 1_000_000_000, 999_999_999.99, 0.1 + 0.2, 19.99])
      expect((await post("/v1/events", { session: s, type: "converted", value }, {})).status).toBe(
        202,
      );
  });
});

describe("conversions a company's server reports", () => {
  it("count once per idempotency key with a secret key holding events:write", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    await post("/v1/resolve", { url: `${p.url}?s=${s}` }, { "user-agent": APP });
    const key = await mintKey("secret", ["events:write"]);
    const server = { authorization: `Bearer ${key}`, "user-agent": "python-requests/2.31" };
    for (const order of ["o-1", "o-2", "o-3", "o-2"]) {
      const json = { session: s, type: "converted", value: 20, idempotency_key: order };
      expect((await post("/v1/events", json, server)).status).toBe(202);
    }
    const f = await waitForFunnel(p.id, (t) => t.converted >= 3);
    expect(f.totals).toMatchObject({ scanned: 1, app_open: 1, converted: 3 });
  });

  it("need the events:write scope: another secret key is refused, a publishable one too", async () => {
    const p = await makePoster();
    const s = await personScan(p.code);
    const json = { session: s, type: "converted", idempotency_key: "o-1" };
    const other = await mintSecretKey();
    const res = await post("/v1/events", json, { authorization: `Bearer ${other}` });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden" });
    const pk = await mintKey("publishable", ["handoffs:write"], ["https://shop.test"]);
    const web = { authorization: `Bearer ${pk}`, origin: "https://shop.test" };
    expect((await post("/v1/events", json, web)).status).toBe(403);
  });
});

describe("events against a handoff", () => {
  const E = env as unknown as Env;
  const stub = (id: string) => E.HANDOFF.get(E.HANDOFF.idFromName(id));

  it("are refused before the app redeemed it, and after its 24-hour event window", async () => {
    const key = await mintKey("secret", ["handoffs:write"]);
    const created = await call("/v1/handoffs", { method: "POST", key, json: { path: "/cart" } });
    const h = (await created.json()) as { id: string; url: string };
    // Before the redemption only a server can name the handoff (the app has no credential yet).
    const server = { authorization: `Bearer ${await mintKey("secret", ["events:write"])}` };
    const early = await post("/v1/events", { url: h.url, type: "converted" }, server);
    expect(early.status).toBe(409);

    const resolved = await post("/v1/resolve", { url: h.url }, { "user-agent": APP });
    expect(resolved.status).toBe(200);
    const { session } = (await resolved.json()) as { session: string };
    expect((await post("/v1/events", { session, type: "converted" }, {})).status).toBe(202);
    // A day later, as time passing would leave the record (the object keeps it that long).
    await runInDurableObject(stub(h.id), (_object, state) => {
      const rec = state.storage.kv.get<HandoffRecord>("handoff")!;
      rec.redeemed_at = Date.UTC(2026, 0, 1); // long before any event window of today
      state.storage.kv.put("handoff", rec);
    });
    // The object keeps its record in memory: a fresh instance reads the edited one.
    await evictDurableObject(stub(h.id));
    // The credential has not expired yet: the object's record of the redemption decides.
    const late = await post("/v1/events", { session, type: "converted" }, {});
    expect(late.status).toBe(410);
    expect(((await late.json()) as { message: string }).message).toMatch(/24 hours/);
    expect((await post("/v1/events", { url: h.url, type: "converted" }, server)).status).toBe(410);
  });

  it("are refused without asking anyone when the link expired longer ago than any window", async () => {
    const h = await createHandoff(await mintSecretKey());
    const longAgo = Date.UTC(2026, 0, 1) / 1000; // an expiry long before any window of today
    const token = await signedToken(longAgo, h.id);
    const server = { authorization: `Bearer ${await mintKey("secret", ["events:write"])}` };
    const res = await post(
      "/v1/events",
      { url: `https://qr.test/h/${token}`, type: "converted" },
      server,
    );
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "expired" });
  });
});
