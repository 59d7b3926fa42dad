// An app that resolves a bare poster link, loses the answer and asks again with the same claim
// (as src/client/app.ts does) is one scan and one app open, in the funnel and in the export, and
// keeps one attribution session; with QB_POSTER_CLAIMED_RESOLVES, as a deployment sets it.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { claimedSession } from "../../src/core/attribution";
import { posterFunnel } from "./funnel-helpers";
import { atClock, BASE, call, mintKey, runToEnd, testKeyring } from "./helpers";
import { type ArchivedHop, eventually } from "./hop-helpers";
import { makePoster } from "./poster-helpers";

const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const send = runToEnd({ ...(env as object), QB_POSTER_CLAIMED_RESOLVES: "true" });
const statsKey = mintKey("secret", ["stats:read"]);
const ring = await testKeyring();
const ANDROID_DIRECT = { platform: "android", in_app: null, bot: false, via: "direct" } as const;

/**
 * The start of the window a claim's session names at the time of the test (core/attribution.ts):
 * the calls below run on a fake clock inside it, so a window never starts between them.
 */
async function windowOf(posterId: string, claim: string): Promise<number> {
  return (await claimedSession(ring, posterId, ANDROID_DIRECT, claim, Date.now())).scannedAt;
}

/** POST /v1/resolve as the app: the link, and its claim when it sends one. */
async function resolve(url: string, claim?: string): Promise<string> {
  const res = await send(
    new Request(`${BASE}/v1/resolve`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": ANDROID_APP },
      body: JSON.stringify(claim ? { url, claim } : { url }),
    }),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { attribution: { session: string } }).attribution.session;
}

/** A marker sent last: once it is counted, everything the test sent before it is too. */
async function converted(session: string): Promise<void> {
  const res = await send(
    new Request(`${BASE}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": ANDROID_APP },
      body: JSON.stringify({ session, type: "converted" }),
    }),
  );
  expect(res.status).toBe(202);
}

/** The poster's funnel once the marker is counted: [scanned, app_open]. */
async function counted(posterId: string): Promise<number[]> {
  const f = await eventually(async () => {
    const r = await posterFunnel(posterId);
    return r.totals.converted >= 1 && r;
  }, `the marker of ${posterId}`);
  return [f.totals.scanned, f.totals.app_open];
}

/** The poster's exported hops (GET /v1/hops), every page. */
async function exported(posterId: string): Promise<ArchivedHop[]> {
  const day = (offset: number) =>
    new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const rows: ArchivedHop[] = [];
  let cursor: string | null = null;
  do {
    const query = `from=${day(-1)}&to=${day(1)}&poster_id=${posterId}&limit=10000`;
    const res: Response = await call(`/v1/hops?${query}${cursor ? `&cursor=${cursor}` : ""}`, {
      key: await statsKey,
    });
    expect(res.status).toBe(200);
    for (const line of (await res.text()).split("\n").filter(Boolean))
      rows.push(JSON.parse(line) as ArchivedHop);
    cursor = res.headers.get("x-next-cursor");
  } while (cursor);
  return rows;
}

const hopsOf = (rows: ArchivedHop[], hop: string) => rows.filter((r) => r.hop === hop).length;

describe("a poster link resolved again with the same claim", () => {
  it("a lost answer and its retry are one scan, one app open and one session (funnel and export)", async () => {
    const p = await makePoster({ path: "/menu/retry1" });
    const claim = "app-claim-retry1-Zq4Lm9Xw2Vb8";
    const start = await windowOf(p.id, claim);
    const lost = await atClock(start + 1_000, () => resolve(p.url, claim)); // never reached the app
    const retried = await atClock(start + 6_000, () => resolve(p.url, claim)); // 5 s later
    expect(retried).toBe(lost);
    await converted(retried);
    expect(await counted(p.id)).toEqual([1, 1]);
    const rows = await eventually(async () => {
      const r = await exported(p.id);
      return hopsOf(r, "converted") === 1 && r;
    }, "the export");
    expect([hopsOf(rows, "scanned"), hopsOf(rows, "app_open")]).toEqual([1, 1]);
    // The resolve is the scan: its app open's delay is none, not the time since the window began.
    expect(rows.find((r) => r.hop === "app_open")?.ms_since_created).toBe(0);
    // Only a hash of the claim reaches a hop.
    expect(JSON.stringify(rows)).not.toContain(claim);
  });

  it("ten concurrent retries are still one scan and one app open, all in one session", async () => {
    const p = await makePoster({ path: "/menu/retry2" });
    const claim = "app-claim-retry2-Rt1Yp6Nc3A7K";
    const start = await windowOf(p.id, claim);
    const sessions = await atClock(start + 2_000, () =>
      Promise.all(Array.from({ length: 10 }, () => resolve(p.url, claim))),
    );
    expect(new Set(sessions).size).toBe(1);
    await converted(sessions[0]!);
    expect(await counted(p.id)).toEqual([1, 1]);
  });

  it("another app (another claim) is counted apart, in a session of its own", async () => {
    const p = await makePoster({ path: "/menu/retry3" });
    const claim = "app-claim-retry3-mine-0123456";
    const start = await windowOf(p.id, claim);
    const mine = await atClock(start + 1_000, () => resolve(p.url, claim));
    expect(await atClock(start + 3_000, () => resolve(p.url, claim))).toBe(mine);
    const theirs = await resolve(p.url, "app-claim-retry3-theirs-98765");
    expect(theirs).not.toBe(mine);
    await converted(theirs);
    expect(await counted(p.id)).toEqual([2, 2]);
  });

  it("without a claim each resolve is a scan of its own, as before", async () => {
    const p = await makePoster({ path: "/menu/retry4" });
    const first = await resolve(p.url);
    const second = await resolve(p.url);
    expect(second).not.toBe(first);
    await converted(second);
    expect(await counted(p.id)).toEqual([2, 2]);
  });
});

describe("without QB_POSTER_CLAIMED_RESOLVES (the default)", () => {
  it("the retry keeps the session and its app open counts once; its scan counts again", async () => {
    const p = await makePoster({ path: "/menu/retry5" });
    const claim = "app-claim-retry5-Zq4Lm9Xw2Vb8";
    const asApp = (url: string) =>
      call("/v1/resolve", {
        method: "POST",
        headers: { "user-agent": ANDROID_APP },
        json: { url, claim },
      });
    const start = await windowOf(p.id, claim);
    const a = await atClock(start + 1_000, () => asApp(p.url));
    const b = await atClock(start + 4_000, () => asApp(p.url));
    const session = async (r: Response) =>
      ((await r.json()) as { attribution: { session: string } }).attribution.session;
    const s = await session(a);
    expect(await session(b)).toBe(s);
    const f = await eventually(async () => {
      const r = await posterFunnel(p.id);
      return r.totals.scanned >= 2 && r.totals.app_open >= 1 && r;
    }, "the default's funnel");
    expect([f.totals.scanned, f.totals.app_open]).toEqual([2, 1]);
  });
});
