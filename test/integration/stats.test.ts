// The funnel API (GET /v1/stats/funnel) on a data set worked out by hand, read from the rollups,
// and a link previewer's visit through the real scan path (its rates: stats-rates.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import type { FunnelFigures, FunnelResult } from "../../src/store/stats";
import { call, mintKey } from "./helpers";
import { hopRow, ingestViaQueue, rolledUp } from "./hop-helpers";
import { IPHONE, makePoster, SLACKBOT, scan, waitForHops } from "./poster-helpers";

// A hand-made data set on two days, seeded through the queue consumer. Expected numbers are
// worked out by hand in the comments.
const D1 = "2022-05-10";
const D2 = "2022-05-11";
const t1 = Date.parse(`${D1}T09:00:00Z`);
const t2 = Date.parse(`${D2}T09:00:00Z`);
const A = {
  kind: "poster" as const,
  subject_id: "P1",
  poster_id: "P1",
  store_id: "st_a",
  campaign_id: "cp_1",
};
const B = { kind: "poster" as const, subject_id: "P2", poster_id: "P2", store_id: "st_b" };

/** An app open reached through the landing page of a scan at `scannedAt`. */
const page = (scannedAt: number) => ({ created_at: scannedAt, detail: { via: "page" } });

/** A median read from the rollups' histograms: within 5 % of `exact`. */
function near(value: number | null, exact: number): boolean {
  return value !== null && Math.abs(value - exact) <= 0.05 * exact;
}

async function seed() {
  const rows = [
    // Store A, day 1: 4 human scans (ips 1, 2, 3, 3 → 3 unique; 3 iOS + 1 Android)…
    hopRow({ ...A, hop: "scanned", session_id: "s1", platform: "ios" }, t1, "198.51.100.1"),
    hopRow({ ...A, hop: "scanned", session_id: "s2", platform: "ios" }, t1 + 10, "198.51.100.2"),
    hopRow({ ...A, hop: "scanned", session_id: "s3", platform: "ios" }, t1 + 20, "198.51.100.3"),
    hopRow(
      { ...A, hop: "scanned", session_id: "s4", platform: "android" },
      t1 + 30,
      "198.51.100.3",
    ),
    // …2 bot scans and a preview that must not count, 3 landings (+1 bot landing)…
    hopRow({ ...A, hop: "scanned", bot: true, platform: "other" }, t1 + 40, "203.0.113.9"),
    hopRow({ ...A, hop: "scanned", bot: true, platform: "other" }, t1 + 50, "203.0.113.9"),
    hopRow({ ...A, hop: "previewed", bot: true }, t1 + 60, "203.0.113.9"),
    hopRow({ ...A, hop: "landing", session_id: "s1", platform: "ios" }, t1 + 100),
    hopRow({ ...A, hop: "landing", session_id: "s2", platform: "ios" }, t1 + 110),
    hopRow({ ...A, hop: "landing", session_id: "s4", platform: "android" }, t1 + 130),
    hopRow({ ...A, hop: "landing", bot: true }, t1 + 140),
    // …app opens through the landing page 2 s after s1 and 4 s after s2 (the writer sets
    // `created_at` to the scan); s1 converts.
    hopRow({ ...A, hop: "app_open", session_id: "s1", platform: "ios", ...page(t1) }, t1 + 2000),
    hopRow(
      { ...A, hop: "app_open", session_id: "s2", platform: "ios", ...page(t1 + 10) },
      t1 + 10 + 4000,
    ),
    hopRow({ ...A, hop: "converted", session_id: "s1", platform: "ios" }, t1 + 9000),
    // Store B, day 2: 2 scans (ips 4, 5, Android), 2 landings, 1 app open straight from the QR.
    hopRow({ ...B, hop: "scanned", session_id: "s5", platform: "android" }, t2, "198.51.100.4"),
    hopRow({ ...B, hop: "scanned", session_id: "s6", platform: "android" }, t2 + 5, "198.51.100.5"),
    hopRow({ ...B, hop: "landing", session_id: "s5", platform: "android" }, t2 + 50),
    hopRow({ ...B, hop: "landing", session_id: "s6", platform: "android" }, t2 + 60),
    hopRow(
      { ...B, hop: "app_open", session_id: "s5", platform: "android", detail: { via: "direct" } },
      t2 + 10_000,
    ),
    // A handoff, day 2: scanned (ip 6, iOS), app open after 1 s, redeemed; a bot scan of another.
    hopRow(
      { kind: "handoff", subject_id: "h1", hop: "created", detail: { note: '=1+2, "quoted"' } },
      t2 - 500,
    ),
    hopRow(
      { kind: "handoff", subject_id: "h1", hop: "scanned", platform: "ios" },
      t2 + 100,
      "198.51.100.6",
    ),
    hopRow(
      { kind: "handoff", subject_id: "h1", hop: "app_open", platform: "ios", ...page(t2 + 100) },
      t2 + 1100,
    ),
    hopRow({ kind: "handoff", subject_id: "h1", hop: "redeemed", platform: "ios" }, t2 + 1200),
    hopRow(
      { kind: "handoff", subject_id: "h2", hop: "scanned", bot: true },
      t2 + 300,
      "203.0.113.9",
    ),
  ];
  await ingestViaQueue(rows);
}

/** The route's answer: the store's result and the range it was asked for. */
type Figures = FunnelFigures;
type Funnel = FunnelResult & { from: string; to: string; group_by: string };

let key: string;
async function funnel(query: string): Promise<Funnel> {
  const res = await call(`/v1/stats/funnel?${query}`, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Funnel;
}
const counts = (f: Figures) => [f.scanned, f.landing, f.app_open, f.redeemed, f.converted];

beforeAll(async () => {
  key = await mintKey("secret", ["stats:read"]);
  await seed();
});

describe("GET /v1/stats/funnel", () => {
  it("totals equal the numbers worked out by hand", async () => {
    const f = await funnel(`from=${D1}&to=${D2}`);
    // scanned 4 + 2 + 1 = 7 (3 bot scans excluded); landing 3 + 2 = 5; app_open 2 + 1 + 1 = 4;
    // redeemed 1 (posters never redeem); converted 1.
    expect(counts(f.totals)).toEqual([7, 5, 4, 1, 1]);
    // Rates divide each kind by its own earlier stage (core/funnel.ts RATE_BASES):
    // landing 5 ÷ (6 poster + 1 handoff scans); app_open 3 poster opens ÷ 6 poster scans;
    // redeemed 1 handoff redemption ÷ 1 handoff scan; converted 1 ÷ (3 poster opens + 1 redeemed).
    expect(f.totals.rates).toEqual({
      landing: 0.7143,
      app_open: 0.5,
      redeemed: 1,
      converted: 0.25,
    });
    // Unique scanners: day 1 ips 1, 2, 3; day 2 ips 4, 5, 6.
    expect(f.totals.unique_scanners).toBe(6);
    // Page scan → app open: 1000, 2000, 4000 ms → 2000; B's app open came straight from the QR.
    expect(near(f.totals.median_scan_to_app_open_ms, 2000)).toBe(true);
    expect(f.totals.direct_app_opens).toBe(1);
    expect(f.median_sample.pairs).toBe(3);
  });

  it("group_by=day lists every day with its own figures", async () => {
    const f = await funnel(`from=${D1}&to=2022-05-12&group_by=day`);
    expect(f.rows.map((r) => r.group)).toEqual([D1, D2, "2022-05-12"]);
    const [d1, d2, d3] = f.rows;
    expect(counts(d1!)).toEqual([4, 3, 2, 0, 1]);
    expect(d1!.unique_scanners).toBe(3);
    expect(near(d1!.median_scan_to_app_open_ms, 2000)).toBe(true); // the lower middle of 2 s, 4 s
    expect(counts(d2!)).toEqual([3, 2, 2, 1, 0]);
    expect(near(d2!.median_scan_to_app_open_ms, 1000)).toBe(true);
    expect(d2!.direct_app_opens).toBe(1);
    expect(counts(d3!)).toEqual([0, 0, 0, 0, 0]);
    expect(d3!.rates.landing).toBeNull();
  });

  it("group_by=store sorts by scans; handoffs are the store-less group", async () => {
    const f = await funnel(`from=${D1}&to=${D2}&group_by=store`);
    expect(
      f.rows.map((r) => [r.group, ...counts(r), r.unique_scanners, r.direct_app_opens]),
    ).toEqual([
      ["st_a", 4, 3, 2, 0, 1, 3, 0],
      ["st_b", 2, 2, 1, 0, 0, 2, 1],
      [null, 1, 0, 1, 1, 0, 1, 0],
    ]);
    expect(f.rows.map((r) => r.median_scan_to_app_open_ms)).toEqual([
      expect.toSatisfy((m: number) => near(m, 2000)),
      null,
      expect.toSatisfy((m: number) => near(m, 1000)),
    ]);
    expect(f.rows[2]!.rates).toEqual({ landing: 0, app_open: null, redeemed: 1, converted: 0 });
  });

  it("group_by=source, platform and campaign", async () => {
    const source = await funnel(`from=${D1}&to=${D2}&group_by=source`);
    const poster = source.rows.find((r) => r.group === "poster")!;
    expect(counts(poster)).toEqual([6, 5, 3, 0, 1]);
    expect(near(poster.median_scan_to_app_open_ms, 2000)).toBe(true); // 2000, 4000 (+1 direct)
    expect(counts(source.rows.find((r) => r.group === "handoff")!)).toEqual([1, 0, 1, 1, 0]);

    const platform = await funnel(`from=${D1}&to=${D2}&group_by=platform`);
    const by = Object.fromEntries(platform.rows.map((r) => [r.group, r]));
    expect([by.ios!.scanned, by.ios!.unique_scanners]).toEqual([4, 4]);
    expect([by.android!.scanned, by.android!.unique_scanners]).toEqual([3, 3]);
    // ip 3 scanned on both platforms: the total counts it once (6, not 4 + 3).
    expect(platform.totals.unique_scanners).toBe(6);
    expect(by.other).toBeUndefined(); // the bots' platform has no scans

    const campaign = await funnel(`from=${D1}&to=${D2}&group_by=campaign`);
    expect(campaign.rows.map((r) => [r.group, r.scanned])).toEqual([
      ["cp_1", 4],
      [null, 3],
    ]);
  });

  it("group_by=via shows how people reached the app", async () => {
    const f = await funnel(`from=${D1}&to=${D2}&group_by=via`);
    const by = Object.fromEntries(f.rows.map((r) => [r.group, r]));
    expect(by.page!.app_open).toBe(3);
    expect(by.direct!.app_open).toBe(1);
    expect(by.direct!.direct_app_opens).toBe(1);
  });

  it("filters by store and campaign", async () => {
    const a = await funnel(`from=${D1}&to=${D2}&store_id=st_a`);
    expect(counts(a.totals)).toEqual([4, 3, 2, 0, 1]);
    expect(a.totals.unique_scanners).toBe(3);
    const c = await funnel(`from=${D1}&to=${D2}&campaign_id=cp_1&group_by=poster`);
    expect(c.rows.map((r) => [r.group, r.scanned])).toEqual([["P1", 4]]);
  });

  it("validates the range and names the field", async () => {
    const cases: [string, string][] = [
      ["from=2022-13-01&to=2022-12-31", "from"],
      ["from=2022-05-10&to=2022-05-09", "to"],
      ["from=2020-01-01&to=2022-01-01", "to"],
      ["from=yesterday", "from"],
      ["group_by=week", "group_by"],
    ];
    for (const [query, field] of cases) {
      const res = await call(`/v1/stats/funnel?${query}`, { key });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe("validation_failed");
      expect(body.message.startsWith(field), `${query}: ${body.message}`).toBe(true);
    }
  });

  it("needs a key with stats:read", async () => {
    expect((await call(`/v1/stats/funnel`)).status).toBe(401);
    const other = await mintKey("secret", ["posters:write"]);
    expect((await call(`/v1/stats/funnel`, { key: other })).status).toBe(403);
  });
});

describe("bots through the real scan path", () => {
  it("a link previewer's visit never appears in scans", async () => {
    const poster = await makePoster({ name: "Bot check" });
    const path = new URL(poster.url).pathname;
    await scan(path, SLACKBOT);
    await scan(path, IPHONE, { "cf-connecting-ip": "192.0.2.50" });
    await waitForHops({ poster_id: poster.id }, 3);
    // Yesterday to tomorrow: the scans are counted on the day the Worker saw them, which is not
    // today's date here when they were made just before midnight UTC.
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const f = await funnel(`from=${day(-1)}&to=${day(1)}&group_by=poster&poster_id=${poster.id}`);
    expect(counts(f.rows[0]!).slice(0, 2)).toEqual([1, 1]);
    expect(f.rows[0]!.unique_scanners).toBe(1);
    expect(await rolledUp("bot.previewed", "poster_id = ?", poster.id)).toBe(1);
  });
});
