import { describe, expect, it } from "vitest";
import { issueSession } from "../../src/core/attribution";
import { installReferrer } from "../../src/core/install-referrer";
import { createHandoff, signedToken, tokenOf } from "./handoffs-helpers";
import {
  BASE,
  call,
  hopCapturingWorker,
  mintSecretKey,
  testKeyring,
  windowedLimiter,
} from "./helpers";
import { IPHONE, makePoster } from "./poster-helpers";

const ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36";
const ANDROID_APP = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
const ring = await testKeyring();

const post = (json: Record<string, unknown>, ip = "198.51.100.40") =>
  new Request(`${BASE}/v1/resolve`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": ANDROID_APP,
      "cf-connecting-ip": ip,
    },
    body: JSON.stringify(json),
  });

/** The session token a landing page put in its Play link's referrer (`qb_ref=S…`). */
async function visitReferrer(code: string): Promise<string> {
  const page = await call(`/p/${code}`, { headers: { "user-agent": ANDROID } });
  const html = (await page.text()).replace(/&amp;/g, "&");
  const play = /href="(https:\/\/play\.google\.com[^"]*)"/.exec(html)?.[1];
  if (!play) throw new Error("no Play link on the landing page");
  return new URL(play).searchParams.get("referrer")!;
}

describe("install referrers", () => {
  it("a handoff's token passed off as a poster visit (qb_ref=S…) resolves nothing", async () => {
    const h = await createHandoff(await mintSecretKey(), { path: "/cart/1", payload: { c: 1 } });
    const w = hopCapturingWorker();
    const res = await w.send(post({ referrer: installReferrer("session", tokenOf(h)) }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: "invalid_token",
      details: { field: "referrer" },
    });
    // The handoff is untouched: its own link still redeems it, once.
    const own = await w.send(post({ url: h.url }));
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ kind: "handoff", payload: { c: 1 } });
  });

  it("a poster visit's session passed off as a handoff (qb_ref=H…) redeems nothing", async () => {
    const p = await makePoster({ path: "/menu/h" });
    const ref = await visitReferrer(p.code);
    expect(ref).toMatch(/^qb_ref=S/);
    const w = hopCapturingWorker();
    const res = await w.send(post({ referrer: `qb_ref=H${ref.slice("qb_ref=S".length)}` }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: "invalid_token",
      details: { field: "referrer" },
    });
    expect(w.rows.filter((r) => r.hop === "redeemed" || r.hop === "app_open")).toEqual([]);
  });

  it("a handoff referrer replayed after its redeem window is 410, even never redeemed", async () => {
    const h = await createHandoff(await mintSecretKey(), { payload: { secret: "cart" } });
    // The same handoff's token as it stood an hour ago: past expiry plus the redeem window.
    const old = await signedToken(Math.floor(Date.now() / 1000) - 3600, h.id);
    const w = hopCapturingWorker();
    const res = await w.send(post({ referrer: installReferrer("handoff", old) }));
    expect(res.status).toBe(410);
    const body = await res.text();
    expect(body).not.toContain("cart");
    expect(w.rows.filter((r) => r.hop === "redeemed")).toEqual([]);
  });

  it("a poster visit's referrer replayed after its 7 days is 410 and counts no app open", async () => {
    const p = await makePoster({ path: "/menu/old" });
    const device = { platform: "android", in_app: null, bot: false, via: "page" } as const;
    const eightDaysAgo = Date.now() - 8 * 86_400_000;
    const s = await issueSession(ring, p.id, device, eightDaysAgo);
    const w = hopCapturingWorker();
    const res = await w.send(post({ referrer: installReferrer("session", s.token) }));
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "expired", details: { field: "referrer" } });
    expect(w.rows.filter((r) => r.poster_id === p.id)).toEqual([]);
  });

  it("a referrer edited to name another poster is refused; the genuine one credits its own", async () => {
    const seen = await makePoster({ path: "/menu/seen" });
    const other = await makePoster({ path: "/menu/other" });
    const ref = await visitReferrer(seen.code);
    const token = ref.slice("qb_ref=S".length);
    // The session id starts with the poster id: swap it for the poster to be credited.
    const forged = `qb_ref=S${other.id}${token.slice(other.id.length)}`;
    const w = hopCapturingWorker();
    const res = await w.send(post({ referrer: forged }));
    expect(res.status).toBe(400);
    expect(w.rows.filter((r) => r.poster_id === other.id)).toEqual([]);
    // Other parameters around it (utm_…, a second qb_ref after it) change nothing.
    const wrapped = `utm_source=x&${ref}&qb_ref=S${other.id}${token.slice(other.id.length)}`;
    const ok = await w.send(post({ referrer: wrapped }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ kind: "poster", id: seen.id });
    expect(w.rows.filter((r) => r.poster_id === other.id)).toEqual([]);
  });

  it("a poster referrer shared with a second device opens the app once in the funnel", async () => {
    const p = await makePoster({ path: "/menu/shared" });
    const ref = await visitReferrer(p.code);
    const w = hopCapturingWorker();
    const first = await w.send(post({ referrer: ref }, "198.51.100.41"));
    const second = await w.send(post({ referrer: ref }, "203.0.113.41"));
    expect([first.status, second.status]).toEqual([200, 200]);
    const opens = w.rows.filter((r) => r.poster_id === p.id && r.hop === "app_open");
    expect(opens.length).toBe(2);
    // One event id: the hop log's INSERT OR IGNORE keeps one of them.
    expect(new Set(opens.map((r) => r.event_id)).size).toBe(1);
    expect(w.rows.filter((r) => r.poster_id === p.id && r.hop === "scanned")).toEqual([]);
  });

  it("url and referrer together are refused (no picking the friendlier one)", async () => {
    const p = await makePoster({ path: "/menu/both" });
    const ref = await visitReferrer(p.code);
    const res = await call("/v1/resolve", {
      method: "POST",
      json: { url: p.url, referrer: ref },
      headers: { "user-agent": ANDROID_APP },
    });
    expect(res.status).toBe(400);
  });
});

describe("manual code entry (/c)", () => {
  const typed = (code: string, ip: string) =>
    new Request(`${BASE}/c?code=${encodeURIComponent(code)}`, {
      headers: { "user-agent": IPHONE, "cf-connecting-ip": ip },
    });

  it("a guessed code (one MAC character off) is the form again, never a redirect", async () => {
    const p = await makePoster({ path: "/menu/c1" });
    const last = p.code.at(-1)!;
    const guess = p.code.slice(0, -1) + (last === "0" ? "1" : "0");
    const w = hopCapturingWorker();
    const res = await w.send(typed(guess, "198.51.100.42"));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(w.rows.map((r) => [r.hop, r.subject_id])).toEqual([["rejected", "invalid"]]);
  });

  it("guessing is held to the failure budget, and a throttled guess is not even checked", async () => {
    const p = await makePoster({ path: "/menu/c2" });
    const failures = windowedLimiter(3);
    const w = hopCapturingWorker({ FAILURE_LIMITER: failures });
    const guesses = ["0000", "0001", "0002", "0003", "0004"].map((m) => p.code.slice(0, -4) + m);
    const real = guesses.includes(p.code);
    const statuses: number[] = [];
    for (const g of guesses) statuses.push((await w.send(typed(g, "198.51.100.43"))).status);
    if (!real) expect(statuses).toEqual([400, 400, 400, 429, 429]);
    // The right code still goes through from that address: it spends no failure budget.
    const right = await w.send(typed(p.display_code, "198.51.100.43"));
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe(`/p/${p.code}`);
  });

  it("whatever is typed, the redirect stays on /p/ of this bridge", async () => {
    const w = hopCapturingWorker();
    for (const attempt of [
      "//evil.example",
      "https://evil.example/p/X",
      "/%2F%2Fevil.example",
      "\\\\evil",
    ]) {
      const res = await w.send(typed(attempt, "198.51.100.44"));
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
  });
});
