import { describe, expect, it } from "vitest";
import { readSessionId } from "../../src/core/session-id";
import { verifyToken } from "../../src/core/token";
import { createHandoff, scan as scanHandoff } from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintSecretKey, testKeyring } from "./helpers";
import { IPHONE, makePoster, scan } from "./poster-helpers";

const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const ring = await testKeyring();

const event = (json: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Request(`${BASE}/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": ANDROID_APP, ...headers },
    body: JSON.stringify(json),
  });

/** The attribution session an iPhone's landing page visit of a poster hands to the app. */
async function iphoneSession(code: string): Promise<string> {
  const html = await (await scan(`/p/${code}`, IPHONE)).text();
  const s = /[?&;]s=([0-9A-Z]+)/.exec(html.replace(/&amp;/g, "&"))?.[1];
  if (!s) throw new Error("no session on the landing page");
  return s;
}

describe("app events", () => {
  it("the caller cannot restate the platform: an iPhone's visit stays iOS", async () => {
    const p = await makePoster({ path: "/menu/ev1" });
    const session = await iphoneSession(p.code);
    const w = hopCapturingWorker();
    const res = await w.send(
      event({ session, type: "converted", value: 5 }, { "x-qb-platform": "android" }),
    );
    expect(res.status).toBe(202);
    const [row] = w.rows.filter((r) => r.hop === "converted");
    expect(row?.platform).toBe("ios");
  });

  it("fields that would set the delay, the path or the platform are refused, not ignored", async () => {
    const p = await makePoster({ path: "/menu/ev2" });
    const session = await iphoneSession(p.code);
    const w = hopCapturingWorker();
    for (const extra of [
      { ms_since_created: -5_000 },
      { ms_since_created: 9e15 },
      { created_at: 0 },
      { via: "install_referrer" },
      { platform: "android" },
      { poster_id: "AAAAAA" },
    ]) {
      const res = await w.send(event({ session, type: "app_open", ...extra }));
      expect(res.status).toBe(400);
    }
    expect(w.rows).toEqual([]);
  });

  it("the delay of an app open counts from the signed scan, never from a caller's number", async () => {
    const p = await makePoster({ path: "/menu/ev3" });
    const session = await iphoneSession(p.code);
    const w = hopCapturingWorker();
    await w.send(event({ session, type: "app_open" }, { date: "Thu, 01 Jan 1970 00:00:00 GMT" }));
    const [row] = w.rows.filter((r) => r.hop === "app_open");
    // The session id carries its scan's time (core/session-id.ts): the delay is at - that.
    const check = await verifyToken(ring, "s", session, Math.floor(Date.now() / 1000));
    if (!check.ok) throw new Error("the page's session does not verify");
    const { scannedAt } = readSessionId(check.id, check.expiresAt);
    expect(row!.ms_since_created).toBe(row!.at - scannedAt);
  });

  it("a flood of conversions with fresh idempotency keys counts once per session", async () => {
    const p = await makePoster({ path: "/menu/ev4" });
    const session = await iphoneSession(p.code);
    const w = hopCapturingWorker();
    for (let i = 0; i < 5; i++) {
      const res = await w.send(
        event(
          { session, type: "converted", value: 100 + i, idempotency_key: `order-${i}` },
          {
            "idempotency-key": `hdr-${i}`,
          },
        ),
      );
      expect(res.status).toBe(202);
    }
    const conversions = w.rows.filter((r) => r.hop === "converted");
    expect(new Set(conversions.map((r) => r.event_id)).size).toBe(1);
  });

  it("a poster link carrying another poster's session credits the session's poster only", async () => {
    const seen = await makePoster({ path: "/menu/ev5a" });
    const other = await makePoster({ path: "/menu/ev5b" });
    const session = await iphoneSession(seen.code);
    const w = hopCapturingWorker();
    const res = await w.send(event({ url: `${other.url}?s=${session}`, type: "converted" }));
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ subject_id: seen.id });
    expect(w.rows.filter((r) => r.poster_id === other.id)).toEqual([]);
  });

  it("a session edited to name another poster is refused", async () => {
    const seen = await makePoster({ path: "/menu/ev6a" });
    const other = await makePoster({ path: "/menu/ev6b" });
    const session = await iphoneSession(seen.code);
    const w = hopCapturingWorker();
    const forged = other.id + session.slice(other.id.length);
    const res = await w.send(event({ session: forged, type: "app_open" }));
    expect(res.status).toBe(400);
    expect(w.rows).toEqual([]);
  });

  it("events for a handoff the caller only saw (scanned, never redeemed) are refused", async () => {
    const h = await createHandoff(await mintSecretKey(), { path: "/cart/ev" });
    expect((await scanHandoff(h)).status).toBe(200);
    const w = hopCapturingWorker();
    // The link is no credential (403); where a deployment takes it, an unredeemed handoff is 409.
    const byLink = hopCapturingWorker({ QB_HANDOFF_EVENTS_BY_LINK: "true" });
    for (const type of ["app_open", "converted"]) {
      expect((await w.send(event({ url: h.url, type }))).status).toBe(403);
      expect((await byLink.send(event({ url: h.url, type }))).status).toBe(409);
    }
    expect(w.rows).toEqual([]);
    expect(byLink.rows).toEqual([]);
  });

  it("a script's events are answered but counted as no person", async () => {
    const p = await makePoster({ path: "/menu/ev7" });
    const session = await iphoneSession(p.code);
    const w = hopCapturingWorker();
    const res = await w.send(
      event(
        { session, type: "converted", value: 9 },
        { "user-agent": "curl/8.5.0", "x-qb-platform": "ios" },
      ),
    );
    expect(res.status).toBe(202);
    expect(w.rows.map((r) => [r.hop, r.bot])).toEqual([["previewed", 1]]);
  });
});

describe("app opens from a bare poster link", () => {
  it("a stated via is a label: it never turns a bare link into an install-referrer open", async () => {
    const p = await makePoster({ path: "/menu/ev8" });
    const res = await call("/v1/resolve", {
      method: "POST",
      json: { url: p.url, via: "install_referrer" },
      headers: { "user-agent": ANDROID_APP },
    });
    expect(res.status).toBe(400);
  });
});
