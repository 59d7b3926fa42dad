// The claim-derived poster session (core/attribution.ts `claimedSession`), attacked: claims of
// the wrong length, many people resolving one bare poster link in the same instant (no one's
// conversions may land in another's session), a second app sending another app's claim, a
// retry across the window boundary, and the option on and off. The Worker's clock is faked
// where the window matters.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLAIM_WINDOW_MS, claimedSession } from "../../src/core/attribution";
import { posterFunnel } from "./funnel-helpers";
import { atClock, BASE, runToEnd, testKeyring } from "./helpers";
import { eventually } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const IOS_APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const on = runToEnd({ ...(env as object), QB_POSTER_CLAIMED_RESOLVES: "true" });
const off = runToEnd({ ...(env as object) });
const ring = await testKeyring();
const ANDROID_DIRECT = { platform: "android", in_app: null, bot: false, via: "direct" } as const;

type Send = typeof on;
const post = (send: Send, path: string, body: unknown, ua = ANDROID_APP) =>
  send(
    new Request(`${BASE}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": ua },
      body: JSON.stringify(body),
    }),
  );

async function sessionOf(res: Response): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { attribution: { session: string } }).attribution.session;
}

/** The session an Android app gets resolving `url` with `claim` through `send`, the clock at `ms`. */
const resolvedAt = (send: Send, ms: number, url: string, claim: string) =>
  atClock(ms, () => post(send, "/v1/resolve", { url, claim }).then(sessionOf));

/** When the claim window of an Android app's `claim` on `posterId` that holds now started. */
const windowStart = async (posterId: string, claim: string) =>
  (await claimedSession(ring, posterId, ANDROID_DIRECT, claim, Date.now())).scannedAt;

/** The funnel's [scanned, app_open, converted] once `converted` reached `n`. */
async function countedOnce(posterId: string, n: number): Promise<number[]> {
  const f = await eventually(async () => {
    const r = await posterFunnel(posterId);
    return r.totals.converted >= n && r;
  }, `the conversions of ${posterId}`);
  return [f.totals.scanned, f.totals.app_open, f.totals.converted];
}

describe("POST /v1/resolve: the claim's length", () => {
  it.each([
    ["15 characters", 15, 400],
    ["16 characters", 16, 200],
    ["100 characters", 100, 200],
    ["101 characters", 101, 400],
    ["256 characters", 256, 400],
  ])("%s: %i", async (_name, length, status) => {
    const p = await makePoster();
    const res = await post(off, "/v1/resolve", { url: p.url, claim: "c".repeat(length) });
    expect(res.status).toBe(status);
    if (status === 400) expect(await res.json()).toMatchObject({ error: "validation_failed" });
  });
});

describe("people resolving one bare poster link at the same instant", () => {
  it("forty people get forty sessions, and each one's conversion counts in their own", async () => {
    const p = await makePoster();
    const now = Date.now();
    const claims = Array.from({ length: 40 }, (_, i) => `person-${i}-${crypto.randomUUID()}`);
    const sessions = await atClock(now, () =>
      Promise.all(
        claims.map((claim) => post(on, "/v1/resolve", { url: p.url, claim }).then(sessionOf)),
      ),
    );
    expect(new Set(sessions).size).toBe(40);
    // Each converts once with a value of their own: forty conversions, none merged into another's.
    for (const [i, session] of sessions.entries()) {
      const res = await post(on, "/v1/events", { session, type: "converted", value: i + 1 });
      expect(res.status).toBe(202);
    }
    expect(await countedOnce(p.id, 40)).toEqual([40, 40, 40]);
    const f = await posterFunnel(p.id);
    expect(f.totals.converted_value).toEqual({ XXX: (40 * 41) / 2 });
  });

  it("an iPhone app sending an Android app's claim gets a session of its own platform", async () => {
    const p = await makePoster();
    const claim = `shared-claim-${crypto.randomUUID()}`;
    const android = await sessionOf(await post(off, "/v1/resolve", { url: p.url, claim }));
    const ios = await sessionOf(await post(off, "/v1/resolve", { url: p.url, claim }, IOS_APP));
    expect(ios).not.toBe(android);
    // The same claim on another poster is another session too.
    const q = await makePoster();
    const other = await sessionOf(await post(off, "/v1/resolve", { url: q.url, claim }));
    expect(other).not.toBe(android);
    for (const session of [android, ios])
      expect((await post(off, "/v1/events", { session, type: "converted" })).status).toBe(202);
    const byPlatform = await eventually(async () => {
      const r = await posterFunnel(p.id, "platform");
      const n = r.rows.reduce((a, row) => a + row.converted, 0);
      return n >= 2 && r;
    }, "both platforms' conversions");
    const row = (g: string) => byPlatform.rows.find((r) => r.group === g);
    expect(row("android")).toMatchObject({ scanned: 1, app_open: 1, converted: 1 });
    expect(row("ios")).toMatchObject({ scanned: 1, app_open: 1, converted: 1 });
  });
});

describe("a retry across the claim's window", () => {
  it("gets another session: the app open and, with the option, the scan count again (as posters.md says)", async () => {
    const p = await makePoster();
    const claim = `window-edge-${crypto.randomUUID()}`;
    const start = await windowStart(p.id, claim);
    const last = start + CLAIM_WINDOW_MS - 1;
    const lost = await resolvedAt(on, last, p.url, claim);
    const same = await resolvedAt(on, last, p.url, claim);
    expect(same).toBe(lost);
    const next = await resolvedAt(on, last + 1, p.url, claim);
    expect(next).not.toBe(lost);
    expect((await post(on, "/v1/events", { session: next, type: "converted" })).status).toBe(202);
    // The scan's once-only id is per window, as the session is: the next window is a new scan.
    expect(await countedOnce(p.id, 1)).toEqual([2, 2, 1]);
  });

  it("a resolve a millisecond before the window's start is in the window before", async () => {
    const p = await makePoster();
    const claim = `window-start-${crypto.randomUUID()}`;
    const start = await windowStart(p.id, claim);
    const inside = await resolvedAt(off, start, p.url, claim);
    const before = await resolvedAt(off, start - 1, p.url, claim);
    expect(before).not.toBe(inside);
    const late = await resolvedAt(off, start + CLAIM_WINDOW_MS - 1, p.url, claim);
    expect(late).toBe(inside);
  });
});

describe("an app that sends one claim with separate scans", () => {
  it("two scans 20 minutes apart are two scans and two app opens; each one's retry still counts once", async () => {
    const p = await makePoster();
    const claim = `reused-claim-${crypto.randomUUID()}`;
    const start = await windowStart(p.id, claim);
    const scan = (ms: number) => resolvedAt(on, ms, p.url, claim);
    const first = await scan(start + 1_000);
    expect(await scan(start + 6_000)).toBe(first); // a retry 5 s later: the same scan
    const second = await scan(start + 1_000 + 20 * 60_000);
    expect(second).not.toBe(first);
    expect(await scan(start + 6_000 + 20 * 60_000)).toBe(second);
    for (const session of [first, second])
      expect((await post(on, "/v1/events", { session, type: "converted" })).status).toBe(202);
    expect(await countedOnce(p.id, 2)).toEqual([2, 2, 2]);
  });
});

describe("the option on and off", () => {
  it("gives the same session either way; off, each resolve is a scan; on, one", async () => {
    const claim = `on-off-${crypto.randomUUID()}`;
    const pOff = await makePoster();
    const pOn = await makePoster();
    const now = Date.now();
    const { scannedAt: start } = await claimedSession(ring, pOff.id, ANDROID_DIRECT, claim, now);
    const twice = async (send: Send, url: string) =>
      atClock(start + 1_000, async () => {
        const a = await post(send, "/v1/resolve", { url, claim }).then(sessionOf);
        const b = await post(send, "/v1/resolve", { url, claim }).then(sessionOf);
        expect(b).toBe(a);
        return a;
      });
    const sOff = await twice(off, pOff.url);
    const sOff2 = await resolvedAt(on, start + 2_000, pOff.url, claim);
    expect(sOff2).toBe(sOff); // the option does not change the session
    expect((await post(off, "/v1/events", { session: sOff, type: "converted" })).status).toBe(202);
    expect(await countedOnce(pOff.id, 1)).toEqual([3, 1, 1]);
    const sOn = await twice(on, pOn.url);
    expect((await post(on, "/v1/events", { session: sOn, type: "converted" })).status).toBe(202);
    expect(await countedOnce(pOn.id, 1)).toEqual([1, 1, 1]);
  });
});
