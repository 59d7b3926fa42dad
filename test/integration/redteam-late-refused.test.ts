// Refused scans (`refused`, `refused_by_reason`) attacked as a busy day and a script would: link
// previewers, prefetches and HEADs of a paused poster must count in none; one phone scanning a
// paused poster 500 times (real codes are never throttled) counts 500 scans, not 500 people;
// a forged code names no poster; a revoked poster stays revoked. Read through the funnel API.
import { describe, expect, it } from "vitest";
import { compactRollups } from "../../src/store/rollup-compaction";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { posterFunnel, waitForFunnel } from "./funnel-helpers";
import { atClock, call, mintKey } from "./helpers";
import { hopRow, ingestViaQueue, testEnv } from "./hop-helpers";
import { IPHONE, makePoster, patchPoster, SLACKBOT, scan } from "./poster-helpers";

const APP = "AcmeApp/3.1 CFNetwork/1494.0.7 Darwin/23.4.0";
const refusedOf = (t: FunnelFigures) => t.refused_by_reason;

async function pausedPoster() {
  const p = await makePoster();
  expect((await patchPoster(p.id, { status: "paused" })).status).toBe(200);
  return p;
}

describe("what a paused poster's refused scans count", () => {
  it("previewers, prefetches, HEADs and a script's resolve count in no refused scan", async () => {
    const p = await pausedPoster();
    const answers = [
      await scan(`/p/${p.code}`, SLACKBOT),
      await scan(`/p/${p.code}`, "facebookexternalhit/1.1"),
      await scan(`/p/${p.code}`, IPHONE, { "sec-purpose": "prefetch;prerender" }),
      await scan(`/p/${p.code}`, IPHONE, { purpose: "prefetch" }),
      await scan(`/p/${p.code}`, IPHONE, { "x-purpose": "preview" }),
      await call(`/p/${p.code}`, { method: "HEAD", headers: { "user-agent": IPHONE } }),
      await call("/v1/resolve", {
        method: "POST",
        json: { url: p.url },
        headers: { "user-agent": "curl/8.0" },
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([410, 410, 410, 410, 410, 410, 410]);
    // One person last: once their refused scan is in, the bots' hops (sent before) are too.
    expect((await scan(`/p/${p.code}`)).status).toBe(410);
    const f = await waitForFunnel(p.id, (t) => t.refused >= 1);
    expect(f.totals.refused).toBe(1);
    expect(refusedOf(f.totals)).toEqual({ paused: 1, revoked: 0, not_started: 0, ended: 0 });
    expect([f.totals.scanned, f.totals.landing, f.totals.app_open]).toEqual([0, 0, 0]);
  });

  it("one phone scanning 500 times from one address is 500 refused scans, never throttled", async () => {
    const p = await pausedPoster();
    const ip = { "cf-connecting-ip": "192.0.2.77" };
    const statuses = new Set<number>();
    for (let i = 0; i < 500; i++) statuses.add((await scan(`/p/${p.code}`, IPHONE, ip)).status);
    // A real code is never limited (a crowd behind one carrier NAT): each scan is refused alone.
    expect([...statuses]).toEqual([410]);
    const f = await waitForFunnel(p.id, (t) => t.refused >= 500);
    // Scans, not people: the figure has no unique count beside it (docs/stats.md says "people").
    expect(f.totals.refused).toBe(500);
    expect(f.totals.unique_scanners).toBe(0);
  }, 60_000);

  it("a forged code (the poster's own with its signature changed) names no poster", async () => {
    const p = await pausedPoster();
    const forged = p.code.slice(0, 6) + (p.code.slice(6) === "0000" ? "0001" : "0000");
    expect((await scan(`/p/${forged}`)).status).toBe(404);
    const lower = await scan(`/p/${p.code.toLowerCase()}`); // the same code, any case: refused
    expect(lower.status).toBe(410);
    const f = await waitForFunnel(p.id, (t) => t.refused >= 1);
    expect(f.totals.refused).toBe(1);
  });

  it("a revoked poster cannot be made active again the same day, and its scans stay refused as revoked", async () => {
    const p = await makePoster();
    expect((await scan(`/p/${p.code}`)).status).toBe(200);
    expect((await patchPoster(p.id, { status: "revoked" })).status).toBe(200);
    expect((await scan(`/p/${p.code}`)).status).toBe(410);
    const again = await patchPoster(p.id, { status: "active" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: expect.any(String) });
    const paused = await patchPoster(p.id, { status: "paused" });
    expect(paused.status).toBe(409);
    expect((await scan(`/p/${p.code}`)).status).toBe(410);
    const res = await call("/v1/resolve", {
      method: "POST",
      json: { url: p.url },
      headers: { "user-agent": APP },
    });
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: "gone", details: { status: "revoked" } });
    const f = await waitForFunnel(p.id, (t) => t.refused >= 3 && t.scanned >= 1);
    expect(f.totals.scanned).toBe(1);
    expect(refusedOf(f.totals)).toEqual({ paused: 0, revoked: 3, not_started: 0, ended: 0 });
  });

  it("paused, then active again the same day: refused while paused, scanned after", async () => {
    const p = await pausedPoster();
    expect((await scan(`/p/${p.code}`)).status).toBe(410);
    expect((await patchPoster(p.id, { status: "active" })).status).toBe(200);
    expect((await scan(`/p/${p.code}`)).status).toBe(200);
    const f = await waitForFunnel(p.id, (t) => t.refused >= 1 && t.scanned >= 1);
    expect([f.totals.refused, f.totals.scanned]).toEqual([1, 1]);
    const byPlatform = await posterFunnel(p.id, "platform");
    const ios = byPlatform.rows.find((r) => r.group === "ios");
    expect(ios).toMatchObject({ refused: 1, scanned: 1 });
  });
});

describe("refused scans through the month fold", () => {
  it("keep their count, reasons and platforms in the month rows, and a late one counts once", async () => {
    const key = await mintKey("secret", ["stats:read"]);
    const base = { subject_id: "RM", poster_id: "RM", store_id: "st_rm", hop: "rejected" as const };
    const refused = (day: number, reason: string, platform = "ios") =>
      hopRow({ ...base, platform, detail: { reason } }, Date.UTC(2025, 4, day, 10));
    await ingestViaQueue([
      refused(3, "paused"),
      refused(3, "paused", "android"),
      refused(9, "ended"),
      hopRow({ ...base, bot: true, detail: { reason: "paused" } }, Date.UTC(2025, 4, 3, 11)),
    ]);
    const { folded } = await compactRollups(testEnv.DB, "2025-05-31");
    expect(folded).toEqual(["2025-05-03", "2025-05-09"]);
    const read = async (extra: Record<string, string> = {}) => {
      const q = new URLSearchParams({
        from: "2025-05-01",
        to: "2025-05-31",
        poster_id: "RM",
        ...extra,
      });
      const res = await call(`/v1/stats/funnel?${q}`, { key });
      expect(res.status).toBe(200);
      return (await res.json()) as FunnelResult;
    };
    expect(refusedOf((await read()).totals)).toEqual({
      paused: 2,
      revoked: 0,
      not_started: 0,
      ended: 1,
    });
    const byPlatform = await read({ group_by: "platform" });
    expect(byPlatform.rows.map((r) => [r.group, r.refused]).sort()).toEqual([
      ["android", 1],
      ["ios", 2],
    ]);
    // A refused scan of a folded day arriving late (a replayed dead letter) lands in the month.
    await ingestViaQueue([refused(3, "revoked")]);
    expect((await read()).totals.refused).toBe(4);
  });
});

describe("a schedule's exact instants, through the Worker with its clock faked", () => {
  /** GET the scan at `ms` on the Worker's clock. */
  const scanAt = (ms: number, path: string) => atClock(ms, async () => (await scan(path)).status);

  it("the last millisecond before active_from is refused, active_from is live; active_until is refused", async () => {
    const from = Date.now() + 3_600_000;
    const until = from + 3_600_000;
    const p = await makePoster({ active_from: from, active_until: until });
    const path = `/p/${p.code}`;
    expect([
      await scanAt(from - 1, path),
      await scanAt(from, path),
      await scanAt(until - 1, path),
      await scanAt(until, path),
    ]).toEqual([410, 200, 200, 410]);
    const f = await waitForFunnel(p.id, (t) => t.refused >= 2 && t.scanned >= 2);
    expect(refusedOf(f.totals)).toEqual({ paused: 0, revoked: 0, not_started: 1, ended: 1 });
    expect(f.totals.scanned).toBe(2);
  });
});
