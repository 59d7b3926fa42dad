// Every later hop of a scan is the scan's: app opens, redemptions and conversions are attributed
// to the platform and in-app browser of the phone that scanned (not of the app's HTTP client),
// and say how the app was reached (`detail.via`) and how long after the scan
// (`ms_since_created`). Hops are captured from the Worker's own HOPS producer: these are the
// exact values the hop store receives. (The API's side of attribution: attribution.test.ts.)
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import type { ResolvedPoster } from "../../src/routes/posters-resolve";
import { posterFunnel, stages, waitForFunnel } from "./funnel-helpers";
import { createHandoff } from "./handoffs-helpers";
import { BASE, call, hopCapturingWorker, mintSecretKey } from "./helpers";
import { IPHONE, makePoster, scan } from "./poster-helpers";

const IOS_APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const ANDROID_APP = "okhttp/4.12.0";
const WECHAT_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

/** The Worker with a HOPS producer that keeps every row it is sent. */
function capturingWorker() {
  const { send, rows } = hopCapturingWorker();
  function fetch(path: string, ua: string, json?: unknown, extra: Record<string, string> = {}) {
    const headers = new Headers({ "user-agent": ua, ...extra });
    if (json !== undefined) headers.set("content-type", "application/json");
    return send(
      new Request(`${BASE}${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
  }
  const of = (subject: string, hop: string) =>
    rows.filter((r) => (r.session_id === subject || r.subject_id === subject) && r.hop === hop);
  const one = (subject: string, hop: string) => {
    const found = of(subject, hop);
    if (found.length !== 1) throw new Error(`${found.length} ${hop} hops of ${subject}`);
    return found[0]!;
  };
  return { fetch, rows, of, one };
}

const via = (r: HopRow) => (JSON.parse(r.detail ?? "{}") as { via?: string }).via;
const sessionOf = (html: string) => /[?&]s=([0-9A-Z]{42})/.exec(html)![1]!;

describe("poster sessions", () => {
  it("iPhone scan, then resolve + convert from the iOS app: ios 1 scan, 1 app open, 1 conversion", async () => {
    const p = await makePoster();
    const s = sessionOf(await (await scan(`/p/${p.code}`, IPHONE)).text());
    const app = { "user-agent": IOS_APP };
    const opened = await call("/v1/resolve", {
      method: "POST",
      json: { url: `${p.url}?s=${s}` },
      headers: app,
    });
    expect(opened.status).toBe(200);
    const converted = await call("/v1/events", {
      method: "POST",
      json: { session: s, type: "converted", value: 9.5 },
      headers: app,
    });
    expect(converted.status).toBe(202);
    await waitForFunnel(p.id, (t) => t.converted >= 1);
    const f = await posterFunnel(p.id, "platform");
    expect(f.rows.map((r) => [r.group, ...stages(r)])).toEqual([["ios", 1, 1, 1, 1]]);
    for (const rate of Object.values(f.rows[0]!.rates))
      if (rate !== null) expect(rate).toBeLessThanOrEqual(1);
  });

  it("a page scan's later hops take its platform and in-app browser, whoever reports them", async () => {
    const w = capturingWorker();
    const p = await makePoster();
    // The clock is set: the scan at a whole second, the app 2.3 s later.
    const scanAt = Date.UTC(2026, 5, 1, 9, 30, 0);
    vi.useFakeTimers({ toFake: ["Date"], now: scanAt });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const s = sessionOf(await (await w.fetch(`/p/${p.code}`, WECHAT_IOS)).text());
    vi.setSystemTime(scanAt + 2_300);
    const id = s.slice(0, 20);
    // The app claims Android: it may say so about itself, not about the scan.
    const android = { "x-qb-platform": "android" };
    expect(
      (await w.fetch("/v1/resolve", ANDROID_APP, { url: `${p.url}?s=${s}` }, android)).status,
    ).toBe(200);
    const event = { session: s, type: "converted", value: 3 };
    expect((await w.fetch("/v1/events", ANDROID_APP, event, android)).status).toBe(202);
    const scanned = w.one(id, "scanned");
    for (const hop of ["landing", "app_open", "converted"]) {
      expect(w.one(id, hop), hop).toMatchObject({ platform: "ios", in_app: "wechat", bot: 0 });
    }
    const open = w.one(id, "app_open");
    expect(via(open)).toBe("page");
    // Its delay counts from the scan (the session keeps the scan's time to the tenth of a second).
    expect(open.at - scanned.at).toBe(2_300);
    expect(open.ms_since_created).toBe(2_300);
    expect(w.one(id, "converted").ms_since_created).toBe(2_300);
  });

  it("an app opened straight from the QR is the scanner: its own platform, via direct", async () => {
    const w = capturingWorker();
    const p = await makePoster();
    // At 57 ms past a tenth of a second: the session keeps the scan's time to the tenth.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 5, 1, 9, 30, 0) + 57 });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const res = await w.fetch("/v1/resolve", IOS_APP, { url: p.url });
    const s = ((await res.json()) as ResolvedPoster).attribution.session;
    const id = s.slice(0, 20);
    const scanned = w.one(id, "scanned");
    const open = w.one(id, "app_open");
    expect(scanned).toMatchObject({ platform: "ios", bot: 0 });
    expect(JSON.parse(scanned.detail!)).toMatchObject({ via: "app" });
    expect(open).toMatchObject({ platform: "ios" });
    expect(via(open)).toBe("direct");
    expect(open.at).toBe(scanned.at);
    expect(open.ms_since_created).toBe(57);
    expect(w.of(id, "landing")).toEqual([]);

    // Dart names no OS; the app client's header places it.
    const dart = await w.fetch(
      "/v1/resolve",
      "Dart/3.3 (dart:io)",
      { url: p.url },
      { "x-qb-platform": "android" },
    );
    const d = ((await dart.json()) as ResolvedPoster).attribution.session.slice(0, 20);
    expect(w.one(d, "app_open")).toMatchObject({ platform: "android" });

    // A later report from another client of that session keeps the scan's platform.
    const later = await w.fetch("/v1/events", ANDROID_APP, { session: s, type: "converted" });
    expect(later.status).toBe(202);
    expect(w.one(id, "converted")).toMatchObject({ platform: "ios" });
  });
});

describe("handoffs", () => {
  it("redeemed and converted take the platform of the phone that scanned the page: via page", async () => {
    const w = capturingWorker();
    const key = await mintSecretKey();
    const h = await createHandoff(key, { confirm: "pc" });
    const link = `/h/${h.url.slice(h.url.lastIndexOf("/") + 1)}`;
    expect((await w.fetch(link, WECHAT_IOS)).status).toBe(200);
    // An Android app claims it; the PC approves; the app redeems.
    const claim = await w.fetch("/v1/resolve", ANDROID_APP, { url: h.url });
    expect(claim.status).toBe(202);
    const { claim: secret } = (await claim.json()) as { claim: string };
    const approved = await call(`/v1/handoffs/${h.id}/approve`, { method: "POST", key });
    expect(approved.status).toBe(200);
    const redeemed = await w.fetch("/v1/resolve", ANDROID_APP, { url: h.url, claim: secret });
    expect(redeemed.status).toBe(200);
    const { session } = (await redeemed.json()) as { session: string };
    expect((await w.fetch("/v1/events", ANDROID_APP, { session, type: "converted" })).status).toBe(
      202,
    );
    for (const hop of ["scanned", "landing", "redeemed", "converted"]) {
      expect(w.one(h.id, hop), hop).toMatchObject({ platform: "ios", in_app: "wechat", bot: 0 });
    }
    expect(via(w.one(h.id, "redeemed"))).toBe("page");
  });

  it("redeemed straight from the QR is via direct, on the app's own platform", async () => {
    const w = capturingWorker();
    const h = await createHandoff(await mintSecretKey());
    const redeemed = await w.fetch("/v1/resolve", IOS_APP, { url: h.url });
    expect(redeemed.status).toBe(200);
    const { session } = (await redeemed.json()) as { session: string };
    expect(w.one(h.id, "scanned")).toMatchObject({ platform: "ios" });
    expect(w.one(h.id, "redeemed")).toMatchObject({ platform: "ios" });
    expect(via(w.one(h.id, "redeemed"))).toBe("direct");
    const open = await w.fetch("/v1/events", IOS_APP, { session, type: "app_open" });
    expect(open.status).toBe(202);
    expect(w.one(h.id, "app_open")).toMatchObject({ platform: "ios" });
    expect(via(w.one(h.id, "app_open"))).toBe("direct");
  });
});
